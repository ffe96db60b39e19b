import Foundation
import SpecFuzzing

// Built two ways. With `-sanitize=fuzzer -DFUZZING` (make fuzz-spec), `main` hands control to
// libFuzzer's driver, which calls the entry point below with generated inputs. (SwiftPM renames an
// executable's `main`, so libFuzzer's own `main` cannot be used.) Without (every ordinary build),
// `main` replays the files given as arguments, so a crashing input can be checked by hand.

@_cdecl("LLVMFuzzerTestOneInput")
public func specFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    SpecInputCheck.run(bytes)
    return 0
}

#if FUZZING
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // libFuzzer's C name.
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    @main
    struct SpecFuzzDriver {
        static func main() {
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, specFuzzTestOneInput))
        }
    }
#else
    @main
    struct SpecFuzzReplay {
        static func main() {
            let paths = CommandLine.arguments.dropFirst()
            guard !paths.isEmpty else {
                FileHandle.standardError.write(Data("usage: spec-fuzz FILE...  (replays inputs; make fuzz-spec fuzzes)\n".utf8))
                exit(2)
            }
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("spec-fuzz: cannot read \(path)\n".utf8))
                    exit(1)
                }
                let generated = SpecInputCheck.run(Array(data))
                print("\(path): \(generated ? "loaded and generated" : "refused with diagnostics")")
            }
        }
    }
#endif
