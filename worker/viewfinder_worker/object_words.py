"""Which of YOLO's detections are sure enough to name the photo, and the words people search them by. A label is a
search match, so the bar is set for precision: thresholds measured over the corpus at the detector's 480 px."""

# A box this sure names the photo: below it, most detections on the corpus were look-alikes (lizard as bird).
MIN_SCORE = 0.5
# A thing's box under 1% of the picture is a few dozen pixels: named only when the detector is sure of it (a leaf
# was a frisbee at 0.66, far trees giraffes). People are a third of COCO's boxes and the detector knows small ones
# well: every person box under 1% on the corpus was a real person, so they keep the common bar.
TINY_AREA, TINY_SCORE = 0.01, 0.7
# Furniture and appliances that stand indoors; seen this surely, the photo was taken inside.
INDOOR_THINGS = {"bed", "couch", "toilet", "tv", "microwave", "oven", "toaster", "sink", "refrigerator"}
INDOOR_SCORE, INDOOR_LABEL_SCORE = 0.6, 0.5
# A broader word (vehicle, animal, food) says what the photo is of: only for a box this much of the picture (a
# truck parked behind a dog does not make a vehicle photo), and it counts less than the thing itself.
SUBJECT_AREA, BROADER_WEIGHT = 0.15, 0.7

ANIMAL, FOOD, VEHICLE = ["animal"], ["food"], ["vehicle"]
# COCO class -> (the words people type for it, broader words). Person is counted, not named here.
WORDS = {
    "bicycle": (["bicycle", "bike"], []), "car": (["car"], VEHICLE), "motorcycle": (["motorcycle", "motorbike"], VEHICLE),
    "airplane": (["airplane", "aeroplane", "plane"], ["aircraft"]), "bus": (["bus"], VEHICLE),
    "train": (["train"], []), "truck": (["truck"], VEHICLE), "boat": (["boat"], []),
    "traffic light": (["traffic light"], []), "fire hydrant": (["fire hydrant", "hydrant"], []),
    "stop sign": (["stop sign"], []), "parking meter": (["parking meter"], []), "bench": (["bench"], []),
    "bird": (["bird"], ANIMAL), "cat": (["cat"], ["pet", "animal"]), "dog": (["dog"], ["pet", "animal"]),
    "horse": (["horse"], ANIMAL), "sheep": (["sheep"], ANIMAL), "cow": (["cow", "cattle"], ANIMAL),
    "elephant": (["elephant"], ANIMAL), "bear": (["bear"], ANIMAL), "zebra": (["zebra"], ANIMAL),
    "giraffe": (["giraffe"], ANIMAL), "backpack": (["backpack"], ["bag"]), "umbrella": (["umbrella"], []),
    "handbag": (["handbag"], ["bag"]), "tie": (["tie", "necktie"], []), "suitcase": (["suitcase", "luggage"], []),
    "frisbee": (["frisbee"], []), "skis": (["skis", "ski"], []), "snowboard": (["snowboard"], []),
    "sports ball": (["ball"], []), "kite": (["kite"], []), "baseball bat": (["baseball bat"], []),
    "baseball glove": (["baseball glove"], []), "skateboard": (["skateboard"], []), "surfboard": (["surfboard"], []),
    "tennis racket": (["tennis racket", "racket"], []), "bottle": (["bottle"], []),
    "wine glass": (["wine glass"], []), "cup": (["cup"], []), "fork": (["fork"], []),
    "knife": (["knife"], []), "spoon": (["spoon"], []), "bowl": (["bowl"], []), "banana": (["banana"], FOOD),
    "apple": (["apple"], FOOD), "sandwich": (["sandwich"], FOOD), "orange": (["orange"], FOOD),
    "broccoli": (["broccoli"], FOOD), "carrot": (["carrot"], FOOD), "hot dog": (["hot dog"], FOOD),
    "pizza": (["pizza"], FOOD), "donut": (["donut", "doughnut"], FOOD), "cake": (["cake"], FOOD),
    "chair": (["chair"], []), "couch": (["sofa", "couch"], []),
    "potted plant": (["potted plant", "houseplant"], ["plant"]), "bed": (["bed"], []),
    "dining table": (["table"], []), "toilet": (["toilet"], []), "tv": (["television", "tv"], []),
    "laptop": (["laptop"], ["computer"]), "mouse": (["computer mouse"], []),  # not "mouse": that is the animal
    "remote": (["remote control", "remote"], []), "keyboard": (["keyboard"], []),
    "cell phone": (["phone", "mobile phone", "smartphone"], []), "microwave": (["microwave"], []),
    "oven": (["oven"], []), "toaster": (["toaster"], []), "sink": (["sink"], []),
    "refrigerator": (["refrigerator", "fridge"], []), "book": (["book"], []), "clock": (["clock"], []),
    "vase": (["vase"], []), "scissors": (["scissors"], []), "teddy bear": (["teddy bear", "teddy"], ["toy"]),
    "hair drier": (["hair dryer"], []), "toothbrush": (["toothbrush"], []),
}


def sure(found):
    """The detections that may name the photo: sure enough, and surer still for a tiny thing."""
    return [box for box in found if box["score"] >= (
        TINY_SCORE if box["w"] * box["h"] < TINY_AREA and box["name"] != "person" else MIN_SCORE)]


def thing_labels(found):
    """(word, score) for every sure thing but people, each word at its best box's score; indoor from furniture."""
    labels = []
    for box in sure(found):
        words, broader = WORDS.get(box["name"], ([], []))
        labels += [(word, box["score"]) for word in words]
        if box["w"] * box["h"] >= SUBJECT_AREA:
            labels += [(word, box["score"] * BROADER_WEIGHT) for word in broader]
        if box["name"] in INDOOR_THINGS and box["score"] >= INDOOR_SCORE:
            labels.append(("indoor", INDOOR_LABEL_SCORE))
    return labels


def people(found):
    """The sure person boxes: one for each person the photo shows."""
    return [box for box in sure(found) if box["name"] == "person"]
