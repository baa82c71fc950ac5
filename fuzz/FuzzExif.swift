// libFuzzer harness: the pure-Swift EXIF orientation reader, on a JPEG and on a bare TIFF
// structure. Built by fuzz/build.sh with the ImageCodecs sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExif(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let value = ExifOrientation.read(jpeg: bytes) { precondition((1...8).contains(value)) }
    if let value = ExifOrientation.orientation(tiff: bytes) { precondition((1...8).contains(value)) }
    // An ArraySlice with a non-zero start index exercises the index arithmetic.
    if bytes.count > 1, let value = ExifOrientation.read(jpeg: bytes[1...]) { precondition((1...8).contains(value)) }
    return 0
}
