#pragma once

// exiv2's XMP toolkit keeps one namespace registry for the whole process and is not thread-safe: two threads
// parsing XMP at once can fail a packet ("XMP Toolkit error 101") that parses alone. So exiv2 is called by one
// thread at a time. exiv2 calls cannot be cancelled, though, and a hostile file may hang one: a wait gives up
// after a few seconds and goes ahead unserialised (as before), and nobody waits on a call past every deadline.
class Exiv2Turn {
public:
    Exiv2Turn();
    ~Exiv2Turn();
    Exiv2Turn(const Exiv2Turn &) = delete;
    Exiv2Turn &operator=(const Exiv2Turn &) = delete;

private:
    bool held_;
};
