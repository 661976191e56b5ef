import AnalyticsKit
import ArgumentParser
import Readability

/// `analyze syllables`: counts syllables for a word list, for checking the counter against a dictionary.
struct SyllablesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syllables",
        abstract: "Count syllables of words read one per line from stdin; prints word<TAB>count.",
        discussion: "Only the first tab-separated column of each line is read, so a scored word list can be fed back in."
    )

    @Option(name: .shortAndLong, help: "dictionary (CMUdict, then rules for words it lacks) or rules (rules alone).")
    var mode: SyllableMode = .dictionary

    func run() throws {
        let counter = SyllableCounter(mode: mode)
        var out = ""
        out.reserveCapacity(1 << 16)
        while let line = readLine(strippingNewline: true) {
            let word = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !word.isEmpty else { continue }
            out += word + "\t" + String(counter.count(word)) + "\n"
            if out.utf8.count > 1 << 16 {
                print(out, terminator: "")
                out.removeAll(keepingCapacity: true)
            }
        }
        print(out, terminator: "")
    }
}

extension SyllableMode: ExpressibleByArgument {}
