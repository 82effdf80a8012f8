"""ImageNet's classes with their WordNet words: each class's synonyms, then its ancestors up the hypernym tree.
Which of them may name a photo is the worker's choice (viewfinder_worker/vocabulary.py), made when it loads the
JSON this writes; no torch here, so the words can be made again alone.

Usage: python class_words.py OUTPUT.json
"""
import json
import os
import sys

WORDNET = "/usr/share/wordnet"
IMAGENET_WNIDS = "/usr/share/darknet/data/imagenet.labels.list"


def read_wordnet():
    """Synset offset -> (lemmas, hypernym offsets) from WordNet's noun data file."""
    synsets = {}
    with open(os.path.join(WORDNET, "data.noun"), encoding="latin-1") as data:
        for line in data:
            if line.startswith("  "):
                continue
            fields = line.split(" | ")[0].split()
            offset, word_count = fields[0], int(fields[3], 16)
            lemmas = [fields[4 + 2 * i].replace("_", " ") for i in range(word_count)]
            lemmas = [lemma.split("(")[0] for lemma in lemmas]
            at = 4 + 2 * word_count
            pointer_count = int(fields[at])
            hypernyms = []
            for p in range(pointer_count):
                symbol, target, pos = fields[at + 1 + 4 * p: at + 4 + 4 * p]
                if symbol in ("@", "@i") and pos == "n":
                    hypernyms.append(target)
            synsets[offset] = (lemmas, hypernyms)
    return synsets


def class_words(synsets):
    """ImageNet-1k class index -> name, synonym count and words (synonyms, then ancestors nearest first)."""
    with open(IMAGENET_WNIDS) as wnids:
        classes = sorted([line.strip() for line in wnids if line.strip()][:1000])
    vocabulary = []
    for wnid in classes:
        lemmas, hypernyms = synsets[wnid[1:]]
        words = list(dict.fromkeys(lemmas))
        frontier, seen = hypernyms, set()
        while frontier:
            next_frontier = []
            for offset in frontier:
                if offset in seen:
                    continue
                seen.add(offset)
                ancestor_lemmas, ancestor_hypernyms = synsets[offset]
                words += [lemma for lemma in ancestor_lemmas if lemma not in words]
                next_frontier += ancestor_hypernyms
            frontier = next_frontier
        # Dogs and the small cats are pets, which WordNet does not say.
        if "domestic dog" in words or "domestic cat" in lemmas or ("cat" in words and "big cat" not in words):
            words += [w for w in ("pet",) if w not in words]
        vocabulary.append({"wnid": wnid, "name": lemmas[0], "synonyms": len(dict.fromkeys(lemmas)), "words": words})
    return vocabulary


def write(path):
    with open(path, "w") as out:
        json.dump(class_words(read_wordnet()), out, indent=0)


if __name__ == "__main__":
    write(sys.argv[1])
