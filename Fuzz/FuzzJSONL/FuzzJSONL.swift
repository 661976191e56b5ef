import AnalyticsKit

// The fuzzer's bytes as one line of a JSONL input and as a JSON text. The JSONL reader must give a
// document or a failure record, never crash; a JSON value that parses must write itself as text that
// parses back to the same value (but for numbers past a Double's range, which are written as null).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch JSONLRecordParser.parse(bytes, fallbackID: "line 1") {
    case .document:
        break
    case .failed(_, _, let reason):
        precondition(!reason.isEmpty, "a failure without a reason")
    }
    if let value = try? JSONParser.parse(bytes) {
        let text = Array(value.jsonText.utf8)
        guard let again = try? JSONParser.parse(text) else {
            preconditionFailure("written JSON does not parse: \(value.jsonText)")
        }
        precondition(again == finite(value), "JSON changed in a round trip: \(value.jsonText)")
    }
    return 0
}

/// `value` with its infinite numbers as null, as `JSONValue` writes them.
func finite(_ value: JSONValue) -> JSONValue {
    switch value {
    case .double(let d) where !d.isFinite: .null
    case .array(let elements): .array(elements.map(finite))
    case .object(let fields): .object(fields.map { JSONField($0.key, finite($0.value)) })
    default: value
    }
}
