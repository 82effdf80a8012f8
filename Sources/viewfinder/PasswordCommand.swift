import ArgumentParser
import Foundation
import Server

struct PasswordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Set the password the web page asks for when served beyond this machine.",
        discussion: """
            Reads the password from standard input (one line) and stores only its bcrypt hash, in server.json in
            the data folder (readable by you alone). `viewfinder serve --host 0.0.0.0` then asks for it.

            Examples:
              viewfinder password                      type it, then Enter
              printf '%s\\n' "$SECRET" | viewfinder password --data /srv/viewfinder
            """)

    @OptionGroup var common: CommonOptions

    func run() throws {
        if isatty(STDIN_FILENO) != 0 { FileHandle.standardError.write(Data("new password: ".utf8)) }
        guard let password = readLine(strippingNewline: true), password.count >= 8 else {
            throw ValidationError("a password of at least 8 characters is needed (read from standard input)")
        }
        let folder = DataFolder.resolve(common.data)
        try AccessPolicy.store(password: password, dataFolder: folder)
        print("password stored (hashed) in \(folder)/server.json")
    }
}
