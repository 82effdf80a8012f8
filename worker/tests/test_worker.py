"""The worker's own tests: protocol, captions, signals, the bundled models on real corpus photos, the HTTP
server, and installed-model support with tiny ONNX stand-ins served by a local HTTP server."""
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import unittest
import urllib.request
from pathlib import Path

import numpy as np

from model_host import ModelHost
from viewfinder_worker import boxes, caption, classifier, object_words, protocol, scene, signals, vocabulary
from viewfinder_worker.paths import bundled_models
from viewfinder_worker.picture import Picture

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("VIEWFINDER_CORPUS", ROOT.parent / "shared" / "corpus"))
MODELS = bundled_models()  # VIEWFINDER_BUNDLED_MODELS, so a worktree can test against the main checkout's export


def corpus_picture(name, side=640, folder="content"):
    import cv2
    path = CORPUS / folder / name
    if not path.exists():
        raise unittest.SkipTest("corpus photo %s absent (set VIEWFINDER_CORPUS)" % path)
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    scale = side / max(bgr.shape[:2])
    if scale < 1:
        bgr = cv2.resize(bgr, (round(bgr.shape[1] * scale), round(bgr.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    return Picture(np.ascontiguousarray(bgr[:, :, ::-1]))


class ProtocolTests(unittest.TestCase):
    def test_round_trip(self):
        frame = protocol.encode({"op": "hello"}, b"\x01\x02")
        (length,) = struct.unpack(">I", frame[:4])
        self.assertEqual(length, len(frame) - 4)
        header, payload = protocol.decode(frame[4:])
        self.assertEqual(header["op"], "hello")
        self.assertEqual(bytes(payload), b"\x01\x02")

    def test_wrong_version_is_refused(self):
        body = json.dumps({"v": 7}).encode()
        with self.assertRaisesRegex(protocol.ProtocolError, "version 7"):
            protocol.decode(struct.pack(">I", len(body)) + body)


class SignalTests(unittest.TestCase):
    def test_grey_picture_is_monochrome_and_dark(self):
        names = {n for n, _ in signals.colour_labels(Picture(np.full((60, 80, 3), 20, dtype=np.uint8)))}
        self.assertIn("black and white", names)
        self.assertIn("dark", names)

    def test_red_picture_is_red(self):
        red = np.zeros((60, 80, 3), dtype=np.uint8)
        red[:, :, 0] = 220
        self.assertIn("red", {n for n, _ in signals.colour_labels(Picture(red))})

    def test_a_red_car_filling_a_tenth_of_a_grey_street_is_red(self):
        street = np.full((60, 80, 3), 120, dtype=np.uint8)
        street[30:42, 20:60] = (200, 20, 30)
        self.assertIn("red", {n for n, _ in signals.colour_labels(Picture(street))})

    def test_colourful_points_on_black_are_not_black_and_white(self):
        sky = np.zeros((60, 80, 3), dtype=np.uint8)
        sky[::6, ::7] = (250, 180, 90)  # stars and galaxies: few pixels, but every lit one has colour
        self.assertNotIn("black and white", {n for n, _ in signals.colour_labels(Picture(sky))})

    def test_brown_is_not_orange_but_bright_orange_is(self):
        brown = Picture(np.full((60, 80, 3), (130, 80, 40), dtype=np.uint8))  # wood, fur, skin in shade
        orange = Picture(np.full((60, 80, 3), (250, 140, 20), dtype=np.uint8))
        self.assertNotIn("orange", {n for n, _ in signals.colour_labels(brown)})
        self.assertIn("orange", {n for n, _ in signals.colour_labels(orange)})

    def test_the_clock_gives_the_time_of_day_but_no_season(self):
        self.assertEqual(signals.time_labels("2021-07-14T19:30:00"), [("evening", 0.6)])

    def test_the_clock_names_night_only_in_a_dark_picture_and_never_at_exactly_midnight(self):
        dark, sunlit = (Picture(np.full((60, 80, 3), level, dtype=np.uint8)) for level in (15, 200))
        self.assertIn(("night", 0.6), signals.time_labels("2002-07-13T00:07:18", dark))
        self.assertNotIn("night", {n for n, _ in signals.time_labels("2002-01-09T22:07:02", sunlit)})
        self.assertNotIn("night", {n for n, _ in signals.time_labels("1998-01-01T00:00:00", dark)})

    def test_shape(self):
        self.assertEqual(signals.shape_labels(3000, 1000)[0][0], "panorama")
        for width, height in ((1000, 1500), (1500, 1000), (1000, 1000)):
            self.assertEqual(signals.shape_labels(width, height), [])  # orientation is a filter, not a label


class SceneTests(unittest.TestCase):
    @staticmethod
    def landscape():
        """Smooth blue over the upper half, textured green under it."""
        noise = np.random.default_rng(7).integers(-40, 40, (120, 160, 1))
        picture = np.zeros((120, 160, 3), dtype=np.int64)
        picture[:60] = (90, 150, 230)
        picture[60:] = np.array((70, 140, 50)) + noise[60:]
        return np.clip(picture, 0, 255).astype(np.uint8)

    def names(self, rgb, backdrop=False):
        return {name for name, _ in scene.labels(Picture(rgb), backdrop)}

    def test_blue_over_green_is_sky_and_grass(self):
        self.assertEqual(self.names(self.landscape()), {"sky", "grass"})

    def test_grey_texture_and_flat_colour_are_neither(self):
        noise = np.random.default_rng(3).integers(60, 200, (120, 160, 1)).repeat(3, axis=2).astype(np.uint8)
        self.assertEqual(self.names(noise), set())
        self.assertEqual(self.names(np.full((120, 160, 3), (90, 150, 230), dtype=np.uint8)), set())

    def test_busy_green_above_is_trees_but_a_smooth_leaf_is_not(self):
        rng = np.random.default_rng(5)
        wood = np.full((120, 160, 3), 110, dtype=np.int64)
        wood[:60] = np.array((60, 130, 40)) + rng.integers(-50, 50, (60, 160, 1))  # crowns: busy at every scale
        self.assertIn("trees", self.names(np.clip(wood, 0, 255).astype(np.uint8)))
        leaf = np.zeros((120, 160, 3), dtype=np.uint8)
        leaf[..., 1] = np.linspace(90, 200, 160, dtype=np.uint8)  # one leaf filling the frame, shaded across
        leaf[..., 0] = 40
        self.assertNotIn("trees", self.names(leaf))

    def test_no_sky_behind_a_face_that_fills_the_frame(self):
        self.assertEqual(self.names(self.landscape(), backdrop=True), {"grass"})

    def test_dark_with_lamps_is_night_but_white_text_on_black_is_not(self):
        street = np.full((120, 160, 3), 12, dtype=np.uint8)
        for x in range(10, 160, 30):
            street[70:75, x:x + 5] = (255, 200, 120)  # a row of sodium lamps
        self.assertEqual(self.names(street), {"night"})
        screen = np.zeros((120, 160, 3), dtype=np.uint8)
        screen[60:62, 20:60] = 255
        self.assertEqual(self.names(screen), set())

    def test_corpus_party_at_night_is_night(self):
        self.assertIn("night", self.names(corpus_picture("es-kodak-dc210.jpg").rgb))

    def test_corpus_beach_has_sky_and_a_brick_wall_has_neither(self):
        self.assertIn("sky", self.names(corpus_picture("dk-kite.jpg").rgb))
        self.assertEqual(self.names(corpus_picture("ski-brick.png").rgb), set())


class VocabularyTests(unittest.TestCase):
    SEASHORE = {"name": "seashore", "synonyms": 4, "words": ["seashore", "coast", "seacoast", "sea-coast", "shore"]}
    LIMOUSINE = {"name": "limousine", "synonyms": 2, "words": ["limousine", "limo", "car", "motor vehicle", "vehicle"]}
    SPORTS_CAR = {"name": "sports car", "synonyms": 1, "words": ["sports car", "car", "vehicle", "structure", "car"]}

    def test_scene_class_gives_the_words_people_type_and_drops_the_rest(self):
        words = vocabulary.searchable(self.SEASHORE)["words"]
        self.assertEqual(words[:4], ["seashore", "coast", "seacoast", "sea-coast"])
        self.assertIn("beach", words)
        self.assertNotIn("shore", words)  # an ancestor that named far too many photos

    def test_a_drink_is_not_food(self):
        espresso = {"name": "espresso", "synonyms": 1, "words": ["espresso", "coffee", "beverage", "drink", "food"]}
        self.assertEqual(vocabulary.searchable(espresso)["words"], ["espresso", "coffee", "beverage", "drink"])

    def test_a_word_sums_its_classes_and_unlikely_classes_name_nothing(self):
        classes = [(vocabulary.searchable(self.LIMOUSINE), 0.16), (vocabulary.searchable(self.SPORTS_CAR), 0.16)]
        scores = dict(classifier.word_scores(classes))
        self.assertAlmostEqual(scores["car"], 0.32)
        self.assertNotIn("limousine", scores)
        self.assertNotIn("structure", scores)
        self.assertEqual(classifier.named(classes), [])
        self.assertEqual(caption.compose(classifier.named(classes), [], [], None, None, []), "A photo.")


@unittest.skipUnless(Path("/usr/share/wordnet/data.noun").exists() and Path("/usr/share/darknet/data").exists(),
                     "WordNet or ImageNet's class list absent (apt install wordnet-base darknet)")
class ClassWordsTests(unittest.TestCase):
    def test_an_export_with_every_ancestor_gives_only_the_words_people_type(self):
        sys.path.insert(0, str(ROOT / "worker" / "export"))
        import class_words
        entries = {e["name"]: e for e in class_words.class_words(class_words.read_wordnet())}
        tabby = vocabulary.searchable(entries["tabby"])["words"]
        self.assertEqual(tabby, ["tabby", "tabby cat", "cat", "animal", "pet"])
        self.assertIn("mountain", vocabulary.searchable(entries["alp"])["words"])


class TwilightTests(unittest.TestCase):
    def test_a_deep_blue_sky_over_a_lit_scene_is_dusk_and_a_blue_day_is_not(self):
        dusk = np.zeros((90, 120, 3), dtype=np.uint8)
        dusk[:45] = (20, 40, 90)  # deep, dim blue
        dusk[45:] = (50, 45, 40)
        dusk[60:65, 30:36] = (255, 240, 200)  # floodlights
        dusk[70:75, 80:86] = (255, 240, 200)
        names = {name for name, _ in scene.labels(Picture(dusk))}
        self.assertTrue({"dusk", "night"} <= names, names)
        day = dusk.copy()
        day[:45] = (70, 130, 230)  # bright blue
        day[45:] = (150, 140, 120)
        self.assertFalse({"dusk", "night"} & {name for name, _ in scene.labels(Picture(day))})


class CaptionTests(unittest.TestCase):
    def test_hedges_when_unsure_and_says_place_and_time(self):
        sentence = caption.compose([({"name": "tabby"}, 0.3)], [], [], {"city": "Lisbon", "country": "Portugal"},
                                   "2019-06-02T18:00:00", [("evening", 0.6)])
        self.assertEqual(sentence, "A photo of what looks like a tabby in Lisbon, Portugal in the evening, June 2019.")

    def test_people_and_text(self):
        faces = [{"h": 0.1}, {"h": 0.1}, {"h": 0.1}]
        sentence = caption.compose([], faces, ["OPEN 24 HOURS"], None, None, [])
        self.assertEqual(sentence, 'Three people, with the text "OPEN 24 HOURS".')


class BoxTests(unittest.TestCase):
    def test_suppression_keeps_the_best_of_overlapping_boxes_and_separate_ones(self):
        found = np.array([[0.1, 0.1, 0.3, 0.3], [0.12, 0.1, 0.3, 0.3], [0.6, 0.6, 0.2, 0.2]])
        self.assertEqual(boxes.suppress(found, np.array([0.6, 0.9, 0.5]), threshold=0.5), [1, 2])

    def test_overlap_is_intersection_over_union(self):
        self.assertAlmostEqual(boxes.overlap(np.array([0, 0, 2, 1]), np.array([[1, 0, 2, 1]]))[0], 1 / 3)


def box(name, score, w=0.3, h=0.3):
    return {"name": name, "x": 0.1, "y": 0.1, "w": w, "h": h, "score": score}


class ObjectWordTests(unittest.TestCase):
    def test_unsure_and_tiny_boxes_do_not_name_the_photo(self):
        found = [box("dog", 0.45), box("frisbee", 0.65, w=0.05, h=0.05), box("train", 0.9, w=0.05, h=0.05)]
        self.assertEqual([name for name, _ in object_words.thing_labels(found)], ["train"])

    def test_words_people_type_and_broader_words_only_for_the_subject(self):
        names = [name for name, _ in object_words.thing_labels([box("couch", 0.8), box("car", 0.9, w=0.1, h=0.1)])]
        self.assertEqual(set(names), {"sofa", "couch", "indoor", "car"})  # a small car is no "vehicle" photo
        self.assertIn("vehicle", [name for name, _ in object_words.thing_labels([box("car", 0.9, w=0.5, h=0.5)])])

    def test_people_are_counted_not_named(self):
        found = [box("person", 0.9), box("person", 0.6, w=0.02, h=0.04), box("person", 0.3)]
        self.assertEqual(len(object_words.people(found)), 2)  # a far-off person counts at the common bar
        self.assertEqual(object_words.thing_labels(found), [])

    def test_only_a_large_face_makes_a_face_photo(self):
        from viewfinder_worker.describer import people_labels
        small, large = {"h": 0.07, "score": 0.9}, {"h": 0.3, "score": 0.9}
        self.assertNotIn("face", [n for n, _ in people_labels([small, small], [])])
        self.assertEqual([n for n, _ in people_labels([large], [])], ["person", "face", "portrait"])

    def test_one_person_is_a_person_three_are_people_and_a_group(self):
        from viewfinder_worker.describer import people_labels
        self.assertEqual([n for n, _ in people_labels([], [box("person", 0.9)])], ["person"])
        self.assertEqual([n for n, _ in people_labels([], [box("person", 0.9)] * 3)], ["people", "group"])

    def test_an_unsure_face_counts_only_inside_a_person(self):
        from viewfinder_worker.describer import confirmed
        unsure = {"x": 0.4, "y": 0.2, "w": 0.1, "h": 0.1, "score": 0.65}
        sure = dict(unsure, score=0.9)
        person = dict(box("person", 0.7), x=0.3, y=0.1, w=0.3, h=0.8)
        self.assertEqual(confirmed([unsure, sure], []), [sure])
        self.assertEqual(confirmed([unsure], [person]), [unsure])
        self.assertEqual(confirmed([unsure], [dict(person, x=0.7)]), [], "a person elsewhere confirms nothing")


class SliverTests(unittest.TestCase):
    def test_a_one_pixel_wide_picture_is_looked_at_small(self):
        from viewfinder_worker.scene import Regions
        sliver = Picture(np.full((640, 1, 3), 128, dtype=np.uint8))
        self.assertLessEqual(Regions(sliver).value.shape[0], 4 * 96, "a sliver is not blown up to 96 x 61,440")
        self.assertGreater(sliver.two_colour_share(), 0.99)
        self.assertEqual(scene.labels(sliver), [])


class FlatPictureTests(unittest.TestCase):
    def test_a_silhouette_is_two_colours_a_photo_is_not(self):
        silhouette = np.full((120, 160, 3), 255, dtype=np.uint8)
        silhouette[30:100, 40:120] = 0
        self.assertGreater(Picture(silhouette).two_colour_share(), 0.99)
        noisy = np.random.default_rng(7).integers(0, 256, (120, 160, 3), dtype=np.uint8)
        self.assertLess(Picture(noisy).two_colour_share(), 0.2)


@unittest.skipUnless((MODELS / ".complete").exists(), "bundled models not exported (run scripts/setup.sh)")
class BundledModelTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from viewfinder_worker.describer import Describer
        cls.describer = Describer()

    def test_cat_is_a_cat(self):
        result = self.describer.describe(corpus_picture("ski-chelsea.png"))
        names = [label["name"] for label in result["labels"]]
        self.assertIn("cat", names)
        self.assertIn("pet", names)
        self.assertEqual(len(result["vectors"]["all-MiniLM-L6-v2"]), 384)

    def test_page_text_is_read(self):
        result = self.describer.describe(corpus_picture("ski-page.png"))
        self.assertIn("Region-based segmentation", result["text"])

    def test_astronaut_has_one_face(self):
        result = self.describer.describe(corpus_picture("ski-astronaut.png"))
        self.assertEqual(len(result["faces"]), 1)
        self.assertIn("portrait", result["caption"])

    def test_people_without_visible_faces(self):
        result = self.describer.describe(corpus_picture("dk-kite.jpg"))
        self.assertEqual(result["faces"], [])
        self.assertIn("people", [label["name"] for label in result["labels"]])

    def test_no_sky_behind_a_studio_portrait(self):
        names = [label["name"] for label in self.describer.describe(corpus_picture("pil-hopper.jpg"))["labels"]]
        self.assertNotIn("sky", names)

    def test_deep_field_is_not_black_and_white(self):
        names = [label["name"] for label in self.describer.describe(corpus_picture("ski-hubble_deep_field.jpg"))["labels"]]
        self.assertNotIn("black and white", names)

    def test_no_people_in_a_cat(self):
        result = self.describer.describe(corpus_picture("ski-chelsea.png"))
        self.assertNotIn("person", [label["name"] for label in result["labels"]])

    def test_a_launch_pad_at_dusk_is_dusk_and_night(self):
        names = {label["name"] for label in self.describer.describe(corpus_picture("ski-rocket.jpg"))["labels"]}
        self.assertTrue({"dusk", "night"} <= names, names)

    def test_no_people_in_a_silhouette(self):
        result = self.describer.describe(corpus_picture("ski-horse.png"))
        self.assertFalse({"person", "people", "face"} & {label["name"] for label in result["labels"]}, result["labels"])

    def test_no_people_among_giraffe_and_zebra(self):
        names = [label["name"] for label in self.describer.describe(corpus_picture("dk-giraffe.jpg"))["labels"]]
        self.assertIn("zebra", names)  # ImageNet has zebras; the object detector names them too
        self.assertFalse({"person", "people", "group"} & set(names), names)

    def test_objects_beside_the_dog(self):
        names = [label["name"] for label in self.describer.describe(corpus_picture("dk-dog.jpg"))["labels"]]
        for thing in ("dog", "bicycle", "bike", "truck"):
            self.assertIn(thing, names)

    def test_two_people_are_counted(self):
        picture = corpus_picture("group-two-people.jpg", folder="people")
        self.assertGreaterEqual(len(object_words.people(self.describer.objects.detect(picture))), 2)
        result = self.describer.describe(picture)
        self.assertIn("people", [label["name"] for label in result["labels"]])
        self.assertTrue(result["caption"].startswith("Two people"), result["caption"])

    def test_places_from_gps(self):
        place = self.describer.places.name(38.7223, -9.1393)
        self.assertEqual((place["city"], place["country"]), ("Lisbon", "Portugal"))

    def test_models_are_identities_but_switches(self):
        names = self.describer.models()
        self.assertIn("pp-ocr", names)  # text reading is on: a switch, not weights
        self.assertEqual([n for n in names if "@" not in n], ["pp-ocr"])
        self.assertIn("efficientnet-lite0@", " ".join(names))

    def test_query_embedding_matches_related_caption(self):
        vectors = np.array(self.describer.embed_query(["a cat", "a kitten on a sofa", "a rocket launch"])
                           ["all-MiniLM-L6-v2"])
        self.assertGreater(vectors[0] @ vectors[1], vectors[0] @ vectors[2])

    def test_a_query_worker_embeds_as_the_full_one_does_and_describes_nothing(self):
        from viewfinder_worker.query_embedder import QueryEmbedder
        embedder = QueryEmbedder()
        self.assertEqual([n.split("@")[0] for n in embedder.models()], ["all-MiniLM-L6-v2"])
        texts = ["a cat", "a rocket launch"]
        mine, full = embedder.embed_query(texts)["all-MiniLM-L6-v2"], self.describer.embed_query(texts)["all-MiniLM-L6-v2"]
        self.assertTrue(np.allclose(np.array(mine), np.array(full), atol=1e-5))
        self.assertEqual(embedder.models()[0], next(n for n in self.describer.models() if n.startswith("all-MiniLM")))
        with self.assertRaises(RuntimeError):
            embedder.describe_all([(corpus_picture("ski-chelsea.png"), None, None, None, False)])


def tiny_clip():
    """CLIP-shaped stand-ins: image [1,3,32,32] -> [1,8]; text int64 [1,77] -> [1,8]."""
    import onnx
    from onnx import TensorProto, helper
    visual = helper.make_graph(
        [helper.make_node("ReduceMean", ["image"], ["pooled"], axes=[2, 3], keepdims=0),
         helper.make_node("MatMul", ["pooled", "project"], ["embedding"])],
        "visual", [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 32, 32])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, 8])],
        [helper.make_tensor("project", TensorProto.FLOAT, [3, 8], np.linspace(-1, 1, 24).tolist())])
    textual = helper.make_graph(
        [helper.make_node("Cast", ["text"], ["real"], to=TensorProto.FLOAT),
         helper.make_node("MatMul", ["real", "project"], ["embedding"])],
        "textual", [helper.make_tensor_value_info("text", TensorProto.INT64, [1, 77])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, 8])],
        [helper.make_tensor("project", TensorProto.FLOAT, [77, 8], np.linspace(0.1, 1, 616).tolist())])
    files = {}
    for name, graph in (("visual/model.onnx", visual), ("textual/model.onnx", textual)):
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        files[name] = model.SerializeToString()
    files["visual/preprocess_cfg.json"] = json.dumps({"size": [32, 32], "mean": [0.5] * 3, "std": [0.5] * 3}).encode()
    files["textual/tokenizer.json"] = (MODELS / "sentence-tokenizer.json").read_bytes()
    return files


def tiny_captioner():
    """Encoder-decoder stand-ins: the decoder's logits make token n+1 follow token n, so greedy decoding from
    the start token spells a known sentence and then the end token."""
    import onnx
    from onnx import TensorProto, helper
    from tokenizers import Tokenizer
    tokenizer = Tokenizer.from_file(str(MODELS / "sentence-tokenizer.json"))
    words = tokenizer.encode("a cat on the sofa", add_special_tokens=False).ids
    start, end, vocabulary = 101, 102, 30522
    following = np.zeros(vocabulary, dtype=np.int64)
    chain = [start] + words + [end]
    for before, after in zip(chain, chain[1:]):
        following[before] = after
    encoder = helper.make_graph(
        [helper.make_node("ReduceMean", ["pixel_values"], ["last_hidden_state"], axes=[2, 3], keepdims=0)],
        "encoder", [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [1, 3])])
    decoder = helper.make_graph(
        [helper.make_node("Gather", ["following", "input_ids"], ["next"]),
         helper.make_node("OneHot", ["next", "depth", "values"], ["logits"], axis=-1)],
        "decoder", [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, "tokens"]),
                    helper.make_tensor_value_info("encoder_hidden_states", TensorProto.FLOAT, [1, 3])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, "tokens", vocabulary])],
        [onnx.numpy_helper.from_array(following, "following"),
         onnx.numpy_helper.from_array(np.array([vocabulary], dtype=np.int64), "depth"),
         onnx.numpy_helper.from_array(np.array([0, 1], dtype=np.float32), "values")])
    files = {}
    for name, graph in (("encoder_model.onnx", encoder), ("decoder_model.onnx", decoder)):
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        files[name] = model.SerializeToString()
    files["tokenizer.json"] = (MODELS / "sentence-tokenizer.json").read_bytes()
    files["config.json"] = json.dumps({"decoder_start_token_id": start, "eos_token_id": end}).encode()
    files["preprocessor_config.json"] = json.dumps({"size": 16, "image_mean": [0.5] * 3, "image_std": [0.5] * 3}).encode()
    return files


@unittest.skipUnless((MODELS / ".complete").exists(), "bundled models not exported (run scripts/setup.sh)")
class InstalledModelTests(unittest.TestCase):
    def setUp(self):
        self.scratch = tempfile.TemporaryDirectory()
        root = Path(self.scratch.name)
        catalog, served = {}, {}
        for name, kind, files in (("tiny-clip", "clip", tiny_clip()), ("tiny-captioner", "captioner", tiny_captioner())):
            entries = {}
            for relative, data in files.items():
                path = "/test/%s/resolve/main/%s" % (name, relative)
                served[path] = data
                entries[relative] = {"url": "https://huggingface.co" + path, "sha256": hashlib.sha256(data).hexdigest()}
            catalog[name] = {"kind": kind, "description": "test stand-in", "files": entries}
        self.host = ModelHost(served).__enter__()
        # The model files go through the CDN and are cut once each: every rerun of install resumes one more.
        self.host.cut_once.update("/blobs/" + hashlib.sha256(data).hexdigest() for data in served.values())
        (root / "catalog.json").write_text(json.dumps(catalog))
        self.environment = dict(os.environ, VIEWFINDER_MODEL_CATALOG=str(root / "catalog.json"),
                                VIEWFINDER_MODELS=str(root / "installed"), VIEWFINDER_MODEL_HOST=self.host.url)

    def tearDown(self):
        self.host.__exit__(None, None, None)
        self.scratch.cleanup()

    def models(self, *arguments):
        return subprocess.run([sys.executable, "-m", "viewfinder_worker", "models", *arguments], env=self.environment,
                              capture_output=True, text=True, timeout=120)

    def test_install_resumes_verifies_and_is_used(self):
        first = self.models("install", "tiny-captioner")
        # The server cut the first large file short: the first attempt fails, the second resumes it.
        if first.returncode != 0:
            self.assertIn("resume", first.stderr, first.stderr)
            parts = list(Path(self.environment["VIEWFINDER_MODELS"]).rglob("*.part"))
            self.assertTrue(parts and parts[0].stat().st_size > 0, first.stderr)
        for _ in range(5):  # every large file is cut once: each rerun resumes one more
            if first.returncode == 0:
                break
            first = self.models("install", "tiny-captioner")
        self.assertEqual(first.returncode, 0, first.stderr)
        attempts = [self.models("install", "tiny-clip") for _ in range(5)]
        self.assertEqual(attempts[-1].returncode, 0, attempts[-1].stderr)
        listed = json.loads(self.models("list", "--json").stdout)
        self.assertEqual({row["name"] for row in listed if row["installed"]}, {"tiny-clip", "tiny-captioner"})

        os.environ["VIEWFINDER_MODELS"] = self.environment["VIEWFINDER_MODELS"]
        try:
            from viewfinder_worker.describer import Describer
            describer = Describer(read_text=False)
        finally:
            del os.environ["VIEWFINDER_MODELS"]
        result = describer.describe(Picture(np.full((40, 60, 3), 128, dtype=np.uint8)))
        self.assertTrue(result["caption"].startswith("A cat on the sofa"), result["caption"])
        self.assertEqual(len(result["vectors"]["clip:tiny-clip"]), 8)
        self.assertEqual(len(describer.embed_query(["cat"])["clip:tiny-clip"][0]), 8)
        installed = [n for n in describer.models() if ":" in n.split("@")[0]]
        self.assertEqual([n.split("@")[0] for n in installed], ["clip:tiny-clip", "captioner:tiny-captioner"])
        self.assertTrue(all(re.match(r"^[^@]+@[0-9a-f]{12}$", n) for n in installed), installed)

        self.assertEqual(self.models("remove", "tiny-clip").returncode, 0)
        self.assertNotEqual(self.models("remove", "tiny-clip").returncode, 0)


@unittest.skipUnless((MODELS / ".complete").exists(), "bundled models not exported (run scripts/setup.sh)")
class HttpServerTests(unittest.TestCase):
    def test_describe_over_http(self):
        server = subprocess.Popen([sys.executable, "-m", "viewfinder_worker", "--no-text", "--listen", "127.0.0.1:0"],
                                  stderr=subprocess.PIPE, text=True)
        try:
            line = server.stderr.readline()
            while "serving protocol" not in line:
                line = server.stderr.readline()
            url = line.strip().rsplit(" ", 1)[-1]
            pixels = np.zeros((20, 30, 3), dtype=np.uint8).tobytes()
            frame = protocol.encode({"op": "describe", "images": [{"id": 0, "width": 30, "height": 20, "offset": 0}]},
                                    pixels)
            with urllib.request.urlopen(urllib.request.Request(url, data=frame, method="POST"), timeout=60) as answer:
                header, _ = protocol.decode(answer.read()[4:])
            self.assertTrue(header["ok"])
            self.assertIn("dark", [label["name"] for label in header["results"][0]["labels"]])
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    unittest.main()
