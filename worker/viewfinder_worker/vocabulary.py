"""Which words an ImageNet class lends a photo: its own synonyms, the ancestors people type, and for a scene class
the plain words of the scene. Applied when the classifier loads imagenet-words.json, so every export, old or
new, gives the same words."""

# WordNet ancestors people type into a photo search. The rest (shore, structure, instrument, support, platform,
# participant…) named far more photos than they described.
SEARCHED_ANCESTORS = {
    "animal", "pet", "dog", "cat", "bird", "fish", "insect", "reptile", "snake", "lizard", "turtle", "frog", "toad",
    "spider", "butterfly", "beetle", "crab", "lobster", "shark", "whale", "dolphin", "monkey", "ape", "bear",
    "fox", "wolf", "rabbit", "squirrel", "horse", "cattle", "sheep", "goat", "camel", "elephant", "kangaroo",
    "parrot", "owl", "eagle", "hawk", "duck", "swan", "penguin", "heron", "crocodile", "alligator", "salamander",
    "flower", "orchid", "plant", "fruit", "berry", "citrus", "vegetable", "mushroom", "cabbage", "squash",
    "food", "dish", "bread", "sandwich", "hamburger", "soup", "dessert", "pudding", "drink", "beverage",
    "coffee", "wine",
    "vehicle", "car", "truck", "van", "bus", "boat", "sailboat", "ship", "warship", "aircraft", "airplane",
    "bicycle", "bike", "motorcycle", "motorbike", "locomotive", "train", "trailer", "rocket", "spacecraft",
    "building", "house", "tower", "bridge", "monument", "memorial", "tent", "fence", "gate",
    "furniture", "chair", "bench", "sofa", "couch", "table", "bed", "cabinet",
    "musical instrument", "guitar", "piano", "ball", "toy", "hat", "helmet", "shoe", "boot", "dress", "coat",
    "jacket", "shirt", "sweater", "uniform", "swimsuit", "glasses", "eyeglasses", "sunglasses", "mask",
    "necktie", "tie", "jewelry", "jewellery", "watch", "clock", "lamp", "computer", "telephone", "phone",
    "camera", "bag", "basket", "bottle", "jar", "mug", "bowl", "cup", "knife", "spoon", "gun", "pistol", "sign",
}

# ImageNet's scene classes in the words people use for those scenes; each word holds for nearly every photo of
# its class (a seashore shows the sea and a beach, a lighthouse stands on a coast).
SCENE_WORDS = {
    "seashore": ["beach", "sea", "water"], "sandbar": ["beach", "sand", "sea", "water"], "lakeside": ["lake", "water"],
    "alp": ["mountain", "landscape"], "volcano": ["mountain", "landscape"], "valley": ["landscape"],
    "promontory": ["coast", "sea", "water"], "cliff": ["rock"],
    "coral reef": ["sea", "water", "underwater"], "dock": ["harbour", "harbor", "water"], "pier": ["water"],
    "breakwater": ["harbour", "harbor", "sea", "water"], "boathouse": ["water"], "beacon": ["coast"],
}


def searchable(entry):
    """The entry with its words cut to what may name a photo: synonyms first, then scene words, then ancestors,
    each once (the export lists dog twice for every breed, and a word's probability is summed per class)."""
    synonyms = entry["words"][:entry.get("synonyms", 1)]
    scene = SCENE_WORDS.get(entry["name"], [])
    ancestors = [w for w in entry["words"][len(synonyms):] if w in SEARCHED_ANCESTORS]
    if "beverage" in ancestors:  # WordNet's drinks are nutriment; a coffee is not what people mean by food
        ancestors = [word for word in ancestors if word != "food"]
    kept = list(dict.fromkeys(synonyms + scene))
    return dict(entry, words=list(dict.fromkeys(kept + ancestors)), synonyms=len(kept))
