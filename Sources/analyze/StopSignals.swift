import AnalyticsKit
import Foundation

/// Turns Ctrl-C (SIGINT) and SIGTERM into a `StopRequest`: the first ends the run cleanly, after the
/// documents in progress are written, and a second quits at once.
///
/// The signals are received on a Dispatch queue rather than in a C signal handler, so that the handler
/// may take the request's lock and print. Keep the value alive for as long as the run.
final class StopSignals {
    /// The signals handled. A second one exits with 128 + its number, as a shell reports a process the
    /// signal killed; a run the first one stops ends with status 130.
    static let handled: [Int32] = [SIGINT, SIGTERM]
    private var sources: [DispatchSourceSignal] = []
    private let request: StopRequest

    /// Starts handling the signals for `request`.
    init(_ request: StopRequest) {
        self.request = request
        for number in Self.handled {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if request.isRequested { exit(128 + number) }
                request.stop()
                StandardError.print("\nstopping: finishing the documents in progress (press Ctrl-C again to quit at once)")
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for number in Self.handled { signal(number, SIG_DFL) }
    }
}
