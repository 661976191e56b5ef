import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loads stage plugins from native shared libraries at run time.
///
/// A plugin library exports two C symbols (see docs/plugins.md and Examples/WordLengthPlugin):
/// `analyticskit_plugin_info`, returning a C string `api=<N>;swift=<X.Y>`, and
/// `analyticskit_plugin_register`, which receives an opaque pointer to a `PluginRegistry` (use
/// `PluginABI.registry(from:)`) and returns 0 on success. The library is built against the
/// AnalyticsKit module of the `analyze` that loads it and links against the copy inside `analyze`
/// (which exports its symbols), so there is one copy of every type in the process.
public enum NativePlugins {
    /// Loads the library at `path`, checks its versions and registers its stage types into
    /// `registry` with `origin` set to the path. Returns the type names it added.
    /// - Throws: `PluginLoadError` naming the path and what is wrong.
    @discardableResult
    public static func load(_ path: String, into registry: PluginRegistry) throws -> [String] {
        if registry.allFactories.contains(where: { $0.origin == path }) { return [] }  // loaded already
        guard FileManager.default.fileExists(atPath: path) else {
            throw PluginLoadError(path: path, "no such file")
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw PluginLoadError(path: path, "cannot be loaded: \(dlerror().map { String(cString: $0) } ?? "unknown error")")
        }
        guard let infoSymbol = dlsym(handle, "analyticskit_plugin_info"),
              let registerSymbol = dlsym(handle, "analyticskit_plugin_register") else {
            throw PluginLoadError(path: path, "is not an AnalyticsKit plugin: it exports no analyticskit_plugin_info and analyticskit_plugin_register")
        }
        typealias Info = @convention(c) () -> UnsafePointer<CChar>
        typealias Register = @convention(c) (UnsafeMutableRawPointer) -> Int32
        let info = String(cString: unsafeBitCast(infoSymbol, to: Info.self)())
        let fields = Dictionary(info.split(separator: ";").compactMap { pair -> (String, String)? in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }, uniquingKeysWith: { first, _ in first })
        let api = fields["api"] ?? "?"
        let swift = fields["swift"] ?? "?"
        guard api == String(PluginABI.version), swift == PluginABI.compiler else {
            throw PluginLoadError(path: path, "was built for plugin API \(api) with Swift \(swift); this analyze has plugin API \(PluginABI.version) with Swift \(PluginABI.compiler); rebuild the plugin against this analyze")
        }
        let scratch = PluginRegistry()
        let status = unsafeBitCast(registerSymbol, to: Register.self)(Unmanaged.passUnretained(scratch).toOpaque())
        guard status == 0 else { throw PluginLoadError(path: path, "its registration failed (status \(status))") }
        var added: [String] = []
        for factory in scratch.allFactories {
            do {
                try registry.register(factory.withOrigin(path))
            } catch {
                throw PluginLoadError(path: path, "\(error)")
            }
            added.append(factory.typeName)
        }
        return added
    }
}

/// What a plugin library and the host must agree on.
public enum PluginABI {
    /// The plugin API version; it changes when the types a plugin uses change incompatibly. 2: `TermHash`
    /// is no longer FNV-1a, and a plugin built before inlined the old function. 3: `AnyStage` keeps its
    /// parts in one box and `CorpusAggregate` has `writeSummary(to:workers:)`, so a plugin's stages
    /// and aggregates no longer have the layout and witness tables the engine expects. 4: `TextLayer`
    /// is a class, so a plugin built before reads its arrays where they no longer are. 5:
    /// `CorpusAggregate` has `preview(limit:)`, a witness a plugin's aggregate built before lacks.
    public static let version = 5

    /// The Swift compiler (major.minor) this code was compiled with. A plugin must report the same:
    /// copy `compilerOfThisFile()` from Examples/WordLengthPlugin, which evaluates the same test
    /// when the plugin is compiled.
    public static let compiler: String = {
        #if compiler(>=6.5)
        return "6.5+"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #else
        return "6.1-"
        #endif
    }()

    /// The registry behind the opaque pointer `analyticskit_plugin_register` receives.
    public static func registry(from pointer: UnsafeMutableRawPointer) -> PluginRegistry {
        Unmanaged<PluginRegistry>.fromOpaque(pointer).takeUnretainedValue()
    }
}

/// A plugin library that cannot be used, with its path and the reason.
public struct PluginLoadError: Error, Sendable, CustomStringConvertible {
    /// The library.
    public let path: String
    /// What is wrong.
    public let reason: String
    init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "plugin '\(path)' \(reason)" }
}
