// libFuzzer harness: SafetensorsFile.parse, then every accessor on every tensor. Built by
// fuzz/build.sh with the TensorCore sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? SafetensorsFile.parse(bytes: bytes, name: "fuzz.safetensors") else { return 0 }
    for name in file.names {
        guard let info = file.info(name) else { preconditionFailure("listed tensor \(name) has no info") }
        if let tensor = try? file.tensor(name) { precondition(tensor.shape == info.shape) }
        _ = try? file.integers(name)
        _ = try? file.rawBytes(name)
    }
    return 0
}
