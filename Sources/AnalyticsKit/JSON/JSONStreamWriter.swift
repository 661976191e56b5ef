/// Writes JSON text in pieces: a summary with an entry per document is written as it is made, so it
/// never sits in memory whole, neither as `JSONValue`s nor as bytes.
///
/// Append values and raw punctuation; the writer hands its buffer to `flush` whenever it passes
/// `chunkSize` bytes, and once more on `finish()`.
public struct JSONStreamWriter {
    private var buffer: JSONBuffer
    private let chunkSize: Int
    private let flush: (JSONBuffer) throws -> Void

    /// Creates a writer that passes its text to `flush` in chunks of about `chunkSize` bytes.
    public init(chunkSize: Int = 1 << 16, flush: @escaping (JSONBuffer) throws -> Void) {
        self.chunkSize = chunkSize
        self.flush = flush
        buffer = JSONBuffer(capacity: chunkSize)
    }

    /// Appends a value's compact JSON text.
    public mutating func append(_ value: JSONValue) throws {
        value.write(to: &buffer)
        try flushIfFull()
    }

    /// Appends the JSON text of a value that writes itself, without building its `JSONValue` first.
    public mutating func append(_ value: some JSONWritable) throws {
        var writer = JSONWriter(buffer: buffer)
        buffer = JSONBuffer()  // the writer holds the only reference, so appending does not copy the bytes
        value.writeJSON(to: &writer)
        buffer = writer.buffer
        try flushIfFull()
    }

    /// Appends text as it is (punctuation, a key already written as JSON).
    public mutating func append(raw text: String) throws {
        buffer.append(utf8: text)
        try flushIfFull()
    }

    /// Appends bytes that are JSON text already (pieces written elsewhere, on other threads, say).
    public mutating func append(raw bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        try flushIfFull()
    }

    /// Appends JSON text written into a buffer elsewhere.
    public mutating func append(raw bytes: JSONBuffer) throws {
        buffer.append(contentsOf: bytes)
        try flushIfFull()
    }

    /// Appends an object key and its colon.
    public mutating func append(key: String) throws {
        JSONValue.writeKey(key, to: &buffer)
        try flushIfFull()
    }

    /// Hands over what is left.
    public mutating func finish() throws {
        guard !buffer.isEmpty else { return }
        try flush(buffer)
        buffer.removeAll()
    }

    private mutating func flushIfFull() throws {
        if buffer.count >= chunkSize { try finish() }
    }
}
