import ArgumentParser
import Server

/// serve's options for how it meets the network: extra Host names, a reverse proxy in front.
struct NetworkOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Also answer to this Host name on a password-less loopback server (repeatable); others get 403, so a web page cannot reach the library by pointing its own name at 127.0.0.1.",
        valueName: "name"))
    var allowHost: [String] = []

    @Flag(name: .long, help: "Believe X-Forwarded-For and X-Forwarded-Proto from a reverse proxy in front (set only when every request comes through it): the forwarded address counts for sign-in limits, and sessions over https get Secure cookies.")
    var trustProxy = false

    func policy(host: String, access: AccessPolicy) -> NetworkPolicy {
        .serving(on: host, access: access, extraHosts: allowHost, trustProxy: trustProxy)
    }
}
