#!/usr/bin/env bash
# Builds the libFuzzer harnesses into fuzz/.build/<Name> (Linux, Swift 6 toolchain).
#
# SwiftPM cannot link an executableTarget built with -sanitize=fuzzer (it expects
# `<Target>_main`), so each harness is one swiftc invocation that compiles the harness file
# together with the library's own Swift sources (ImageCodecs, TensorCore or Gallery) as a single
# module, with `-sanitize=fuzzer,address`. The C shim (Sources/CImageCodecs/*.c) is compiled
# (and TensorCore's Sources/CVectorKernels/*.c) by clang with `-fsanitize=fuzzer-no-link,address`
# and linked in; libpng, libjpeg, zlib and
# OpenBLAS are the system libraries (not instrumented: coverage guides the fuzzer through the
# shim and the Swift code only). -DVIS_FUZZING makes the shim accept bad PNG CRCs.
#
# Usage: fuzz/build.sh [NAME...]   (default: all of png jpeg exif safetensors gallerypath)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/fuzz/.build"
mkdir -p "$out/modules/CImageCodecs" "$out/modules/CBLAS"
SWIFTC="${SWIFTC:-swiftc}"
CLANG="${CLANG:-clang}"

cat > "$out/modules/CImageCodecs/module.modulemap" <<MAP
module CImageCodecs {
    header "$root/Sources/CImageCodecs/include/vis_codecs.h"
    export *
}
MAP
cp "$root/Sources/CBLAS/module.modulemap" "$root/Sources/CBLAS/shim.h" "$out/modules/CBLAS/"
if [ -d "$root/Sources/CVectorKernels" ]; then   # TensorCore's C kernels (softmax, attention)
    mkdir -p "$out/modules/CVectorKernels"
    cat > "$out/modules/CVectorKernels/module.modulemap" <<MAP
module CVectorKernels {
    header "$root/Sources/CVectorKernels/include/CVectorKernels.h"
    export *
}
MAP
fi

c_objects() { # target: compiles Sources/<target>/*.c, prints the objects
    for c in "$root/Sources/$1"/*.c; do
        local o="$out/$1-$(basename "$c" .c).o"
        "$CLANG" -O2 -g -DVIS_FUZZING -fsanitize=fuzzer-no-link,address -I "$root/Sources/$1/include" -c "$c" -o "$o"
        echo "$o"
    done
}
shim_objects() { c_objects CImageCodecs; }

swift_flags=(-O -g -sanitize=fuzzer,address -parse-as-library -swift-version 6 -use-ld=lld)

build_image() { # name harness
    local objects
    objects=$(shim_objects)
    "$SWIFTC" "${swift_flags[@]}" -module-name "Fuzz$1" -I "$out/modules/CImageCodecs" \
        "$root"/Sources/ImageCodecs/*.swift "$root/fuzz/FuzzLimits.swift" "$root/fuzz/$2" \
        $objects -lpng16 -ljpeg -lz -o "$out/$1"
}

build_tensor() { # name harness
    local objects="" kernels=()
    if [ -d "$root/Sources/CVectorKernels" ]; then
        objects=$(c_objects CVectorKernels)
        kernels=(-I "$out/modules/CVectorKernels")
    fi
    "$SWIFTC" "${swift_flags[@]}" -module-name "Fuzz$1" -I "$out/modules/CBLAS" "${kernels[@]}" \
        "$root"/Sources/TensorCore/*.swift "$root/fuzz/$2" $objects -lopenblas -lm -o "$out/$1"
}

build_gallery() { # name harness: the Gallery sources without the two FlyingFox files
    local sources=()
    for f in "$root"/Sources/Gallery/*.swift; do
        case "$(basename "$f")" in GalleryServer.swift|GalleryFileHandler.swift) ;; *) sources+=("$f") ;; esac
    done
    "$SWIFTC" "${swift_flags[@]}" -module-name "Fuzz$1" "${sources[@]}" "$root/fuzz/$2" -o "$out/$1"
}

names=("$@")
[ ${#names[@]} -eq 0 ] && names=(png jpeg exif safetensors gallerypath)
for name in "${names[@]}"; do
    case "$name" in
        png) build_image png FuzzPNG.swift ;;
        jpeg) build_image jpeg FuzzJPEG.swift ;;
        exif) build_image exif FuzzExif.swift ;;
        safetensors) build_tensor safetensors FuzzSafetensors.swift ;;
        gallerypath) build_gallery gallerypath FuzzGalleryPath.swift ;;
        *) echo "fuzz/build.sh: unknown harness '$name' (png, jpeg, exif, safetensors, gallerypath)" >&2; exit 2 ;;
    esac
    echo "built fuzz/.build/$name"
done
