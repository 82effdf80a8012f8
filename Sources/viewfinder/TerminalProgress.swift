import Foundation
import Indexer

#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on a terminal; occasional plain lines when standard error is a file or pipe.
final class TerminalProgress: ProgressSink, @unchecked Sendable {
    private let interactive = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastDraw = Date.distantPast

    func report(_ progress: ProgressReport) {
        lock.lock()
        defer { lock.unlock() }
        let interval = interactive ? 0.1 : 5
        guard Date().timeIntervalSince(lastDraw) >= interval else { return }
        lastDraw = Date()
        draw(progress, final: false)
    }

    func finish(_ progress: ProgressReport) {
        lock.lock()
        defer { lock.unlock() }
        if progress.phase == .scanning && progress.done == 0 { return }
        draw(progress, final: true)
        lastDraw = .distantPast
    }

    private func draw(_ progress: ProgressReport, final: Bool) {
        let text = Self.line(progress, barWidth: interactive ? 28 : 0)
        let output = interactive ? "\r\u{1B}[2K" + text + (final ? "\n" : "") : text + "\n"
        FileHandle.standardError.write(Data(output.utf8))
    }

    static func line(_ progress: ProgressReport, barWidth: Int) -> String {
        let unit = progress.phase == .copying ? "rows" : "files"
        var parts = [progress.phase.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)]
        if progress.total > 0 {
            let fraction = min(1, Double(progress.done) / Double(progress.total))
            if barWidth > 0 {
                let filled = Int(fraction * Double(barWidth))
                parts.append("[" + String(repeating: "█", count: filled) + String(repeating: "·", count: barWidth - filled) + "]")
            }
            parts.append("\(progress.done)/\(progress.total)")
        } else {
            parts.append("\(progress.done) \(unit)")
        }
        parts.append(String(format: "%.0f \(unit)/s", progress.rate))
        if let remaining = progress.remainingSeconds, progress.done < progress.total {
            parts.append("ETA " + duration(remaining))
        }
        if progress.failed > 0 { parts.append("\(progress.failed) failed") }
        return parts.joined(separator: "  ")
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
