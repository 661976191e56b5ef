#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Working memory that each thread keeps for itself and reuses from document to document: the
/// tokenizer's buffers, the frequency stage's counting tables, a stage's memo of answers that depend
/// only on a word.
///
/// Tables built and dropped for every document, at a few kilobytes each, missed malloc's per-thread
/// caches: allocating them cost more than filling them, and fresh memory came in cold. Each thread has
/// its own value (made by `make` on first use, freed when the thread ends), so no lock is needed and
/// nothing is shared: a stage keeps one in a `static let` and calls `withValue` from `analyze`.
///
/// What a caller must know:
/// - Which thread runs a document is the executor's choice, so the value must never change a result:
///   keep in it only what could be recomputed (buffers, or a memo of a pure function of its key).
/// - `withValue` must not be nested for the same scratch on one thread: the inner call would be
///   handed the memory the outer one is using, so it traps instead.
public final class ThreadScratch<Value>: @unchecked Sendable {
    // Unchecked: the key is written once in `init`; each thread reads and writes only its own value.
    private var key = pthread_key_t()
    private let make: @Sendable () -> Value

    /// Scratch whose per-thread value starts as `make()`.
    public init(_ make: @escaping @Sendable () -> Value) {
        self.make = make
        // The destructor runs when a thread ends and releases that thread's box.
        let created = pthread_key_create(&key) { box in
            // Optional on Linux, not on Darwin: taken as optional so that both compile.
            let pointer: UnsafeMutableRawPointer? = box
            if let pointer { Unmanaged<AnyScratchBox>.fromOpaque(pointer).release() }
        }
        precondition(created == 0, "out of thread-specific keys")
    }

    /// Calls `body` with this thread's value, which it may change for the next call on the thread.
    public func withValue<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        let box: ScratchBox<Value>
        if let existing = pthread_getspecific(key) {
            box = Unmanaged<ScratchBox<Value>>.fromOpaque(existing).takeUnretainedValue()
        } else {
            box = ScratchBox(make())
            pthread_setspecific(key, Unmanaged<AnyScratchBox>.passRetained(box).toOpaque())
        }
        precondition(!box.inUse, "ThreadScratch.withValue nested on one thread")
        box.inUse = true
        defer { box.inUse = false }
        return try body(&box.value)
    }
}

/// What a thread-specific slot holds, as one non-generic type so that the key's destructor (a C
/// function, which cannot be generic) can release it.
private class AnyScratchBox {
    var inUse = false
}

private final class ScratchBox<Value>: AnyScratchBox {
    var value: Value
    init(_ value: Value) { self.value = value }
}
