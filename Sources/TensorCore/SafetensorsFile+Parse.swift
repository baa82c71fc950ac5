extension SafetensorsFile {
    /// Interprets the bytes of a whole `.safetensors` file, validating everything.
    ///
    /// `name` is only used in error messages (a path, or any label).
    public static func parse(bytes: [UInt8], name: String) throws(SafetensorsError) -> SafetensorsFile {
        let headerLength = try checkedHeaderLength(prefix: bytes, fileSize: bytes.count, file: name)
        let header = Array(bytes[8..<(8 + headerLength)])
        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart
        let (metadata, entries) = try parseHeader(header, dataStart: dataStart, dataLength: dataLength, file: name)
        return SafetensorsFile(fileName: name, metadata: metadata, entries: entries, bytes: bytes)
    }

    /// Checks the 8-byte length prefix against the file size and the sanity bound; returns N.
    ///
    /// `prefix` holds at least the first 8 bytes of the file when it has that many.
    static func checkedHeaderLength(prefix: [UInt8], fileSize: Int, file: String) throws(SafetensorsError) -> Int {
        if fileSize == 0 { throw .emptyFile(file: file) }
        if fileSize < 8 { throw .tooShort(file: file, size: fileSize) }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(prefix[i]) << (8 * UInt64(i)) }
        if length > UInt64(maximumHeaderLength) {
            throw .headerTooLarge(file: file, headerLength: length, limit: maximumHeaderLength)
        }
        if length > UInt64(fileSize - 8) {
            throw .headerBeyondFile(file: file, headerLength: length, available: fileSize - 8)
        }
        return Int(length)
    }

    /// Validates the JSON header: metadata, every entry, and that no two tensors overlap.
    static func parseHeader(_ header: [UInt8], dataStart: Int, dataLength: Int, file: String)
        throws(SafetensorsError) -> (metadata: [String: String], entries: [String: Entry]) {
        guard String(validating: header, as: UTF8.self) != nil else {
            throw .headerNotJSON(file: file, reason: "invalid UTF-8")
        }
        let json: HeaderJSON
        do { json = try HeaderJSON.parse(header) } catch {
            throw .headerNotJSON(file: file, reason: error.message)
        }
        guard case let .object(members) = json else { throw .headerNotObject(file: file) }

        var metadata: [String: String] = [:]
        var entries: [String: Entry] = [:]
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            if key == "__metadata__" {
                metadata = try parseMetadata(value, file: file)
            } else {
                var entry = try parseEntry(value, tensor: key, dataLength: dataLength, file: file)
                entry.begin += dataStart
                entry.end += dataStart
                entries[key] = entry
            }
        }
        try checkNoOverlap(entries, file: file)
        return (metadata, entries)
    }

    static func parseMetadata(_ value: HeaderJSON, file: String) throws(SafetensorsError) -> [String: String] {
        guard case let .object(members) = value else {
            throw .badMetadata(file: file, reason: "expected an object, got \(value.text)")
        }
        var metadata: [String: String] = [:]
        for (key, item) in members {
            guard case let .string(text) = item else {
                throw .badMetadata(file: file, reason: "value of '\(key)' is \(item.text), not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// One tensor entry, with offsets still relative to the data section.
    static func parseEntry(_ value: HeaderJSON, tensor: String, dataLength: Int, file: String)
        throws(SafetensorsError) -> Entry {
        guard case let .object(members) = value else {
            throw .badEntry(file: file, tensor: tensor, reason: "expected an object, got \(value.text)")
        }
        func field(_ key: String) throws(SafetensorsError) -> HeaderJSON {
            guard let found = members.first(where: { $0.key == key }) else {
                throw .badEntry(file: file, tensor: tensor, reason: "missing '\(key)'")
            }
            return found.value
        }
        guard case let .string(dtypeName) = try field("dtype") else {
            throw .badEntry(file: file, tensor: tensor, reason: "'dtype' is not a string")
        }
        guard case let .array(shapeItems) = try field("shape") else {
            throw .badEntry(file: file, tensor: tensor, reason: "'shape' is not an array")
        }
        guard case let .array(offsetItems) = try field("data_offsets"), offsetItems.count == 2,
              let begin = offsetItems[0].integer, let end = offsetItems[1].integer, begin >= 0, end >= 0
        else {
            throw .badEntry(file: file, tensor: tensor,
                            reason: "'data_offsets' is not a pair of non-negative integers")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw .unknownDType(file: file, tensor: tensor, dtype: dtypeName)
        }
        var shape: [Int] = []
        for item in shapeItems {
            guard let dimension = item.integer, dimension >= 0 else {
                throw .invalidShape(file: file, tensor: tensor, shape: HeaderJSON.array(shapeItems).text)
            }
            shape.append(dimension)
        }
        if begin > end { throw .reversedOffsets(file: file, tensor: tensor, begin: begin, end: end) }
        var byteCount = dtype.byteSize
        for dimension in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            if overflow { throw .byteCountOverflow(file: file, tensor: tensor, shape: shape, dtype: dtype) }
            byteCount = product
        }
        if end - begin != byteCount {
            throw .byteLengthMismatch(file: file, tensor: tensor, expected: byteCount, got: end - begin)
        }
        if end > dataLength {
            throw .offsetsOutOfRange(file: file, tensor: tensor, begin: begin, end: end, dataLength: dataLength)
        }
        return Entry(dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// Sorts the non-empty ranges by start and checks each begins after the previous ends.
    static func checkNoOverlap(_ entries: [String: Entry], file: String) throws(SafetensorsError) {
        let ranges = entries.filter { $0.value.end > $0.value.begin }
            .sorted { ($0.value.begin, $0.key) < ($1.value.begin, $1.key) }
        for (previous, next) in zip(ranges, ranges.dropFirst()) where next.value.begin < previous.value.end {
            throw .overlappingTensors(file: file, first: previous.key, second: next.key)
        }
    }
}
