"""One place that opens ONNX models, so every model shares the worker's thread budget."""
import os

import onnxruntime


def open_session(path):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = int(os.environ.get("VIEWFINDER_WORKER_THREADS", "2"))
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # The arena keeps every peak allocation for good; on a small box the memory matters more.
    options.enable_cpu_mem_arena = False
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
