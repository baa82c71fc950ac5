// swift-tools-version:6.0
// The vis package: where attention goes in an image.
// Layers (imports only point down): FileSystem (the one POSIX file layer), CImageCodecs, CBLAS,
// CVectorKernels -> ImageCodecs, TensorCore -> Attention (mechanisms, analysis) -> Models (whole
// networks); Overlay (drawing), Batch (folders) -> Rendering (modes, one image to its files)
// -> Gallery (page, loopback server) -> Explorer -> vis (the command line).
import PackageDescription

let package = Package(
    name: "vis",
    products: [
        .executable(name: "vis", targets: ["vis"]),
        .library(name: "VisToolkit", targets: ["ImageCodecs", "TensorCore", "Attention", "Overlay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // The only code that calls libpng and libjpeg (setjmp-guarded, never prints).
        .target(
            name: "CImageCodecs",
            exclude: ["README.md"],
            linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg"), .linkedLibrary("z")]
        ),
        // OpenBLAS through pkg-config (Debian libopenblas-dev).
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        // Hot loops (softmax, axial and fused attention, transposes) with per-function
        // AVX2/AVX-512 variants chosen at run time, the fork-join pool, the FMA-peak loop and
        // the hand-off probe that `vis bench-sgemm` reports.
        .target(name: "CVectorKernels", exclude: ["README.md"]),
        // Every file-system call: whole-file reads with limits, positional reads, atomic
        // writes (one temporary-name pattern), folders, file kinds; errors name the path.
        .target(name: "FileSystem"),
        .target(name: "ImageCodecs", dependencies: ["CImageCodecs", "FileSystem"]),
        .target(name: "TensorCore", dependencies: ["CBLAS", "CVectorKernels", "FileSystem"]),
        .target(name: "Attention", dependencies: ["TensorCore", "CVectorKernels"]),
        // Whole networks built from the Attention layers, loaded from published checkpoints.
        .target(name: "Models", dependencies: ["Attention", "TensorCore", "CVectorKernels", "FileSystem"]),
        .target(name: "Overlay", dependencies: ["TensorCore"]),
        // Folders: walk, shard, resume, run in parallel, report.
        .target(name: "Batch", dependencies: ["ImageCodecs", "TensorCore", "FileSystem"]),
        // One image (or a group sharing a network pass) through every mode: scene, maps,
        // panels (no command-line code).
        .target(name: "Rendering", dependencies: ["FileSystem", "ImageCodecs", "TensorCore", "Attention", "Models", "Overlay", "Batch"]),
        // The overlay gallery: scan an output folder, write index.html, serve it on loopback.
        .target(name: "Gallery", dependencies: ["ImageCodecs", "FileSystem", .product(name: "FlyingFox", package: "FlyingFox")]),
        // Click a point, see where it attends: a page on loopback that renders per click.
        .target(name: "Explorer", dependencies: [
            "Rendering", "Gallery", "FileSystem", "ImageCodecs", "TensorCore", .product(name: "FlyingFox", package: "FlyingFox"),
        ]),
        .executableTarget(
            name: "vis",
            dependencies: [
                "FileSystem", "ImageCodecs", "TensorCore", "Attention", "Models", "Overlay", "Rendering", "Batch", "Gallery", "Explorer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FileSystemTests", dependencies: ["FileSystem"]),
        .testTarget(name: "ImageCodecsTests", dependencies: ["ImageCodecs"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "AttentionTests", dependencies: ["Attention", "TensorCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Attention", "TensorCore", "ImageCodecs", "CVectorKernels"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "Models", "Attention", "ImageCodecs", "Overlay", "TensorCore", "Batch"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "OverlayTests", dependencies: ["Overlay", "TensorCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "BatchTests", dependencies: ["Batch", "ImageCodecs"]),
        .testTarget(name: "GalleryTests", dependencies: ["Gallery", "Rendering", "ImageCodecs"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "FileSystem", "Rendering", "ImageCodecs", "Overlay"]),
        .testTarget(name: "visTests", dependencies: ["vis", "FileSystem", "ImageCodecs", "TensorCore"],
                    exclude: ["Browser/explore_clicks.py"]),
    ]
)
