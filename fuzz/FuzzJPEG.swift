// libFuzzer harness: JPEG decode through ImageDecoder (libjpeg-turbo via the C shim, EXIF
// orientation, DCT scaling). Built by fuzz/build.sh with the ImageCodecs sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    // The first byte picks the options; the rest is the file.
    let selector = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var options = DecodeOptions()
    options.maxPixels = FuzzLimits.maxPixels
    options.allowTruncated = selector & 1 != 0
    options.applyOrientation = selector & 2 != 0
    if selector & 4 != 0 { options.minimumSize = (width: Int(selector >> 3) + 1, height: Int(selector >> 5) + 1) }
    _ = try? ImageDecoder.decode(bytes: bytes, name: "fuzz.jpg", options: options)
    return 0
}
