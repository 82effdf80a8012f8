"""Text in the photo through RapidOCR's PP-OCR models, made cheap: detection on a small picture without the
angle classifier, recognition only where text was found."""
import logging
import re

from rapidocr import RapidOCR

for noisy in ("RapidOCR", "rapidocr"):
    logging.getLogger(noisy).setLevel(logging.ERROR)


class TextReader:
    def __init__(self, threads, detection_side=640, min_score=0.75):
        self.engine = RapidOCR(params={
            "Global.use_cls": False,
            "Global.log_level": "error",
            "Global.max_side_len": detection_side,
            "Global.min_side_len": 32,
            "Det.limit_type": "max",
            "Det.limit_side_len": detection_side,
            # One line at a time: a batch is padded to its widest line, and a page of long lines then
            # peaked at 380 MB (against 230) and was slower.
            "Rec.rec_batch_num": 1,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })
        self.min_score = min_score

    def read(self, picture):
        """Lines of text, top to bottom, that the recogniser is confident about."""
        result = self.engine(picture.rgb[:, :, ::-1])
        if result.txts is None:
            return []
        lines = []
        for text, score in zip(result.txts, result.scores):
            text = text.strip()
            # A lone symbol or two letters is more often texture than writing.
            if score >= self.min_score and len(re.sub(r"\W", "", text)) >= 3:
                lines.append(text)
        return lines
