// swift-tools-version:6.0
// The vis package: where attention goes in an image.
// Layers (imports only point down): CImageCodecs/CBLAS -> ImageCodecs/TensorCore -> Attention -> Models -> Overlay -> vis.
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
        // Hot loops (softmax) with per-function AVX2/AVX-512 variants chosen at run time.
        .target(name: "CVectorKernels", exclude: ["README.md"]),
        .target(name: "ImageCodecs", dependencies: ["CImageCodecs"]),
        .target(name: "TensorCore", dependencies: ["CBLAS", "CVectorKernels"]),
        .target(name: "Attention", dependencies: ["TensorCore", "CVectorKernels"]),
        // Whole networks built from the Attention layers, loaded from published checkpoints.
        .target(name: "Models", dependencies: ["Attention", "TensorCore"]),
        .target(name: "Overlay", dependencies: ["TensorCore"]),
        // Folders: walk, shard, resume, run in parallel, report.
        .target(name: "Batch", dependencies: ["ImageCodecs"]),
        // One image through every mode: scene, maps, panels (no command-line code).
        .target(name: "Rendering", dependencies: ["ImageCodecs", "TensorCore", "Attention", "Overlay", "Batch"]),
        // The overlay gallery: scan an output folder, write index.html, serve it on loopback.
        .target(name: "Gallery", dependencies: ["ImageCodecs", .product(name: "FlyingFox", package: "FlyingFox")]),
        // Click a point, see where it attends: a page on loopback that renders per click.
        .target(name: "Explorer", dependencies: [
            "Rendering", "Gallery", "ImageCodecs", "TensorCore", .product(name: "FlyingFox", package: "FlyingFox"),
        ]),
        .executableTarget(
            name: "vis",
            dependencies: [
                "ImageCodecs", "TensorCore", "Attention", "Models", "Overlay", "Rendering", "Batch", "Gallery", "Explorer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ImageCodecsTests", dependencies: ["ImageCodecs"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "AttentionTests", dependencies: ["Attention", "TensorCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Attention", "TensorCore", "ImageCodecs"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "ImageCodecs", "Overlay", "TensorCore", "Batch"]),
        .testTarget(name: "OverlayTests", dependencies: ["Overlay", "TensorCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "BatchTests", dependencies: ["Batch", "ImageCodecs"]),
        .testTarget(name: "GalleryTests", dependencies: ["Gallery", "Rendering", "ImageCodecs"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "Rendering", "ImageCodecs", "Overlay"]),
        .testTarget(name: "visTests", dependencies: ["vis", "ImageCodecs", "TensorCore"],
                    exclude: ["Browser/explore_clicks.py"]),
    ]
)
