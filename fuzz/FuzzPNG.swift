// libFuzzer harness: PNG decode through ImageDecoder (libpng via the C shim).
// Built by fuzz/build.sh together with the ImageCodecs sources into one binary.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    // Force the PNG path whatever the fuzzer mutated the signature into.
    var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    let body = UnsafeBufferPointer(start: data, count: size)
    bytes.append(contentsOf: body.starts(with: bytes) ? body.dropFirst(8) : body[...])
    var options = DecodeOptions()
    options.maxPixels = FuzzLimits.maxPixels
    _ = try? ImageDecoder.decode(bytes: bytes, name: "fuzz.png", options: options)
    return 0
}
