import ArgumentParser
import Foundation

// Exit codes are part of the CLI contract: 0 all good, 1 some documents failed, 2 the pipeline,
// arguments, input or output could not be used, 130 a run stopped by Ctrl-C or SIGTERM (`StopSignals`).
// ArgumentParser's own usage errors (64) become 2.
signal(SIGPIPE, SIG_IGN)
do {
    var command = try Analyze.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    if Analyze.exitCode(for: error) == .success { Analyze.exit(withError: error) }
    FileHandle.standardError.write(Data((Analyze.fullMessage(for: error) + "\n").utf8))
    exit(2)
}
