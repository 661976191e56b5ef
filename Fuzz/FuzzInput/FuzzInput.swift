import AnalyticsKit
import Foundation

// The fuzzer's bytes as an input file, read as JSONL, JSON, CSV and TSV: the readers must give a document or
// a failure record with a reason for each item, or stop with an `InputError`, never crash. With
// the bytes as one text file, the reader must give exactly one item; as a JSON array that parses
// whole, one item per element.

/// Where the input files are written, one folder per fuzzing process, removed when it exits.
let directory: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("analyticskit-fuzz-\(getpid())").path
    atexit { try? FileManager.default.removeItem(atPath: directory) }
    return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let bytes = Data(bytes: data, count: size)
    for (name, format) in [("input.jsonl", InputFormat.jsonl), ("input.json", .json), ("input.csv", .csv), ("input.tsv", .tsv), ("input.txt", .text)] {
        let path = directory + "/" + name
        precondition(FileManager.default.createFile(atPath: path, contents: bytes), "cannot write \(path)")
        var items = 0
        do {
            var source = try DocumentSources.open(InputSpec(path: path, format: format))
            while let pending = try source.next() {
                items += 1
                precondition(items <= size + 1, "more items than bytes")
                if case .failed(_, _, let reason) = pending.load() {
                    precondition(!reason.isEmpty, "a failure without a reason")
                }
            }
        } catch let error as InputError {
            precondition(!error.message.isEmpty, "an input error without a message")
        } catch {
            preconditionFailure("\(format) reader threw something else than an InputError: \(error)")
        }
        if format == .text { precondition(items == 1, "a text file gave \(items) items") }
        // The JSON reader cuts the array into elements without parsing it whole: where the whole
        // parses as an array, it must give one item per element.
        if format == .json, case .array(let elements)? = try? JSONParser.parse(Array(bytes)) {
            precondition(items == elements.count, "a JSON array of \(elements.count) elements gave \(items) items")
        }
    }
    return 0
}
