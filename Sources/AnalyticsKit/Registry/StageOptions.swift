import Foundation

/// The type of a stage option, as the option schema declares it and YAML must supply it.
public enum OptionType: Sendable, Hashable, CustomStringConvertible {
    case bool
    case int
    case double
    case string
    /// A list of integers; a single integer is accepted as a list of one.
    case ints
    /// A list of strings; a single string is accepted as a list of one.
    case strings
    /// One of a fixed set of strings.
    case choice([String])
    /// A file path, resolved relative to the pipeline file.
    case path

    public var description: String {
        switch self {
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "number"
        case .string: return "string"
        case .ints: return "list of int"
        case .strings: return "list of string"
        case .choice(let values): return values.joined(separator: "|")
        case .path: return "path"
        }
    }

    /// What a value of this type is, for an error that says what was expected ("a whole number").
    var expectation: String {
        switch self {
        case .bool: return "true or false"
        case .int: return "a whole number"
        case .double: return "a number"
        case .string: return "a string"
        case .ints: return "a list of whole numbers (or one)"
        case .strings: return "a list of strings (or one)"
        case .choice(let values): return "one of " + values.joined(separator: ", ")
        case .path: return "a path"
        }
    }
}

/// A validated option value.
public enum OptionValue: Sendable, Hashable, CustomStringConvertible {
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case ints([Int])
    case strings([String])

    public var description: String {
        switch self {
        case .bool(let b): return String(b)
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .ints(let list): return "[" + list.map(String.init).joined(separator: ", ") + "]"
        case .strings(let list): return "[" + list.joined(separator: ", ") + "]"
        }
    }
}

/// One option a stage type accepts: its name, type, default and a one-line doc for `analyze plugins`.
public struct OptionSpec: Sendable {
    /// The key under `with:` in YAML.
    public let name: String
    /// The type YAML must supply.
    public let type: OptionType
    /// The value used when the pipeline does not set it; nil means "unset" (the stage decides).
    public let defaultValue: OptionValue?
    /// One line of documentation.
    public let doc: String

    /// Declares an option.
    public init(_ name: String, _ type: OptionType, default defaultValue: OptionValue? = nil, doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
    }
}

/// A stage's validated options, with defaults filled in. Typed accessors return nil when unset.
public struct StageOptions: Sendable {
    private var values: [String: OptionValue]
    /// The directory that relative paths are resolved against (the pipeline file's).
    public let baseDirectory: String

    /// Creates a set of options.
    public init(_ values: [String: OptionValue] = [:], baseDirectory: String = FileManager.default.currentDirectoryPath) {
        self.values = values
        self.baseDirectory = baseDirectory
    }

    /// The raw value of an option.
    public subscript(name: String) -> OptionValue? { values[name] }

    /// A bool option.
    public func bool(_ name: String) -> Bool? {
        if case .bool(let b)? = values[name] { return b }
        return nil
    }

    /// An int option.
    public func int(_ name: String) -> Int? {
        if case .int(let i)? = values[name] { return i }
        return nil
    }

    /// A number option (an int is accepted).
    public func double(_ name: String) -> Double? {
        switch values[name] {
        case .double(let d)?: return d
        case .int(let i)?: return Double(i)
        default: return nil
        }
    }

    /// A string, choice or path option (paths as written; see `path(_:)`).
    public func string(_ name: String) -> String? {
        if case .string(let s)? = values[name] { return s }
        return nil
    }

    /// A path option resolved against `baseDirectory`.
    public func path(_ name: String) -> String? {
        guard let raw = string(name) else { return nil }
        return Self.resolve(raw, against: baseDirectory)
    }

    /// A list-of-int option.
    public func ints(_ name: String) -> [Int]? {
        if case .ints(let list)? = values[name] { return list }
        return nil
    }

    /// A list-of-string option.
    public func strings(_ name: String) -> [String]? {
        if case .strings(let list)? = values[name] { return list }
        return nil
    }

    /// Resolves a relative path against a directory; absolute paths and "-" are returned as they are.
    public static func resolve(_ path: String, against directory: String) -> String {
        if path.hasPrefix("/") || path == "-" { return path }
        if path.hasPrefix("~/") { return NSString(string: path).expandingTildeInPath }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }
}

/// A problem with one option, thrown by a factory; the loader points it at the option's line in YAML.
public struct OptionError: Error, Sendable, CustomStringConvertible {
    /// The option at fault.
    public let option: String
    /// What is wrong, and what to write instead.
    public let message: String

    /// Creates an error about `option`.
    public init(option: String, _ message: String) {
        self.option = option
        self.message = message
    }

    public var description: String { "option '\(option)': \(message)" }
}
