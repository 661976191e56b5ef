import Foundation

/// How to make stages of one type: the type name, its option schema and a constructor.
public struct StageFactory: Sendable {
    /// The name used as `type:` in YAML.
    public let typeName: String
    /// One line on what the stage computes, for `analyze plugins`.
    public let summary: String
    /// Every option the type accepts; anything else in `with:` is an error.
    public let options: [OptionSpec]
    /// Where the factory came from ("built-in", a library path), for `analyze plugins`.
    public let origin: String
    private let constructor: @Sendable (StageConfiguration) throws -> AnyStage

    /// Declares a factory. `make` receives validated options and may throw `OptionError` for values
    /// the schema cannot check (a missing file, an empty list).
    public init(
        typeName: String, summary: String, options: [OptionSpec] = [], origin: String = "built-in",
        make: @escaping @Sendable (StageConfiguration) throws -> AnyStage
    ) {
        self.typeName = typeName
        self.summary = summary
        self.options = options
        self.origin = origin
        self.constructor = make
    }

    /// Convenience for a typed stage.
    public init<S: Stage>(
        typeName: String, summary: String, options: [OptionSpec] = [], origin: String = "built-in",
        make: @escaping @Sendable (StageConfiguration) throws -> S
    ) {
        self.init(typeName: typeName, summary: summary, options: options, origin: origin) { AnyStage(try make($0)) }
    }

    /// The same factory, reported as coming from `origin` (a plugin library's path).
    public func withOrigin(_ origin: String) -> StageFactory {
        StageFactory(typeName: typeName, summary: summary, options: options, origin: origin, make: constructor)
    }

    /// Builds a stage from a configuration whose options were validated against `options`.
    public func make(_ configuration: StageConfiguration) throws -> AnyStage {
        try constructor(configuration)
    }
}

/// The stage types a pipeline may use: one registry, plugins add themselves with one call.
///
/// `PluginRegistry.builtIn()` holds the engine's own stages; `analyze` adds each plugin module's
/// factories to it (`SentimentPlugin.register(into:)`). Library users may make their own registry.
/// Registration is guarded by a lock so that plugins may register from any thread.
public final class PluginRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var factories: [String: StageFactory] = [:]

    /// An empty registry.
    public init() {}

    /// A registry with the stages built into AnalyticsKit (`frequency`, `process`).
    public static func builtIn() -> PluginRegistry {
        let registry = PluginRegistry()
        try! registry.register(FrequencyStage.factory)
        try! registry.register(ProcessStage.factory)
        return registry
    }

    /// Adds a factory; a type name that is already registered is an error naming both origins.
    public func register(_ factory: StageFactory) throws {
        try lock.withLock {
            if let existing = factories[factory.typeName] {
                throw RegistryError.duplicateType(factory.typeName, existing: existing.origin, new: factory.origin)
            }
            factories[factory.typeName] = factory
        }
    }

    /// The factory for a type name.
    public func factory(for typeName: String) -> StageFactory? {
        lock.withLock { factories[typeName] }
    }

    /// Every factory, sorted by type name.
    public var allFactories: [StageFactory] {
        lock.withLock { factories.values.sorted { $0.typeName < $1.typeName } }
    }

    /// Every type name, sorted.
    public var typeNames: [String] { allFactories.map(\.typeName) }
}

/// Errors from registering factories.
public enum RegistryError: Error, CustomStringConvertible {
    case duplicateType(String, existing: String, new: String)

    public var description: String {
        switch self {
        case let .duplicateType(name, existing, new):
            return "stage type '\(name)' is registered twice (\(existing) and \(new))"
        }
    }
}
