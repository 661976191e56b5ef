// A library that claims another plugin API version: analyze must refuse it with a clear error.
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("analyticskit_plugin_info")
public func info() -> UnsafePointer<CChar> { UnsafePointer(strdup("api=99;swift=5.9")!) }

@_cdecl("analyticskit_plugin_register")
public func register(_ registry: UnsafeMutableRawPointer) -> Int32 { 0 }
