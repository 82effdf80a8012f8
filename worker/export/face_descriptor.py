"""dlib's face descriptor (a ResNet giving 128 numbers per 150x150 face chip) as ONNX, built from the parameters
face_export.cpp writes, then checked against dlib's own descriptors of the same chips.
    face_descriptor.py PARAMS.bin OUT.onnx EXPORTER MODEL.dat
The ONNX input is `chips`, float32 [n, 150, 150, 3] RGB in 0..255, as extract_image_chip makes them. The chips and
dlib's descriptors of them are kept beside it (face_descriptor.check.npz), so the worker's tests can check the
bundled file against dlib without dlib."""
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SIDE = 150
# The largest difference from dlib's own output the export may show; descriptors of one person are ~0.4 apart.
TOLERANCE = 1e-3


def read_layers(path):
    """The input means, then (kind, numbers, parameters) from the input side to the output side."""
    layers = []
    with open(path, "rb") as source:
        means = [float(v) for v in source.readline().split()[1:]]
        while line := source.readline():
            kind, *numbers = line.split()
            count = int(numbers.pop())
            values = np.frombuffer(source.read(4 * count), dtype=np.float32)
            layers.append((kind.decode(), [int(n) for n in numbers], values))
    # dlib lists layers from the loss back to the input.
    return means, layers[::-1]


class GraphBuilder:
    def __init__(self, layers):
        self.layers = iter(layers)
        self.nodes, self.weights, self.count = [], [], 0

    def name(self, stem):
        self.count += 1
        return "%s_%d" % (stem, self.count)

    def constant(self, values, stem):
        name = self.name(stem)
        self.weights.append(numpy_helper.from_array(np.ascontiguousarray(values, dtype=np.float32), name))
        return name

    def node(self, op, inputs, **attributes):
        output = self.name(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    def take(self, kind):
        layer = next(self.layers)
        if layer[0] != kind:
            raise ValueError("expected a %s layer, the parameters hold %s" % (kind, layer[0]))
        return layer

    def con(self, x, channels):
        """dlib's con_: cross-correlation; strided ones have no padding, stride-1 ones pad half the kernel."""
        _, (filters, rows, cols, stride, padding, has_bias), values = self.take("con")
        weight = values[:filters * channels * rows * cols].reshape(filters, channels, rows, cols)
        inputs = [x, self.constant(weight, "filters")]
        if has_bias:
            inputs.append(self.constant(values[filters * channels * rows * cols:], "biases"))
        return self.node("Conv", inputs, kernel_shape=[rows, cols], strides=[stride, stride],
                         pads=[padding] * 4), filters

    def affine(self, x, channels):
        _, _, values = self.take("affine")
        gamma, beta = values[:channels].reshape(1, -1, 1, 1), values[channels:].reshape(1, -1, 1, 1)
        return self.node("Add", [self.node("Mul", [x, self.constant(gamma, "gamma")]), self.constant(beta, "beta")])

    def block(self, x, channels):
        """con, affine, relu, con, affine: the residual branch."""
        y, filters = self.con(x, channels)
        y = self.node("Relu", [self.affine(y, filters)])
        y, filters = self.con(y, filters)
        return self.affine(y, filters), filters

    def residual(self, x, channels, side):
        y, _ = self.block(x, channels)
        return self.node("Relu", [self.node("Add", [x, y])]), channels, side

    def residual_down(self, x, channels, side):
        """dlib's add_prev adds tensors of different shapes as if the smaller were padded with zeros after its
        last channel, row and column: the strided branch has more channels, the pooled input may have a row more."""
        y, filters = self.block(x, channels)
        y_side = (side - 3) // 2 + 1
        skip = self.node("AveragePool", [x], kernel_shape=[2, 2], strides=[2, 2])
        skip_side = (side - 2) // 2 + 1
        out_channels, out_side = max(channels, filters), max(y_side, skip_side)
        y = self.padded(y, filters, y_side, out_channels, out_side)
        skip = self.padded(skip, channels, skip_side, out_channels, out_side)
        return self.node("Relu", [self.node("Add", [skip, y])]), out_channels, out_side

    def padded(self, x, channels, side, to_channels, to_side):
        if (channels, side) == (to_channels, to_side):
            return x
        pads = np.array([0, 0, 0, 0, 0, to_channels - channels, to_side - side, to_side - side], dtype=np.int64)
        name = self.name("pads")
        self.weights.append(numpy_helper.from_array(pads, name))
        return self.node("Pad", [x, name])


def build(params_path, onnx_path):
    means, layers = read_layers(params_path)
    graph = GraphBuilder(layers)
    x = graph.node("Transpose", ["chips"], perm=[0, 3, 1, 2])
    # input_rgb_image_sized: (pixel - the training set's mean) / 256, per channel.
    x = graph.node("Sub", [x, graph.constant(np.array(means).reshape(1, 3, 1, 1), "means")])
    x = graph.node("Mul", [x, graph.constant(np.full((1, 1, 1, 1), 1 / 256), "scale")])
    x, channels = graph.con(x, 3)
    x = graph.node("Relu", [graph.affine(x, channels)])
    x = graph.node("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2])
    side = ((SIDE - 7) // 2 + 1 - 3) // 2 + 1
    for width, downs, plain in ((32, 0, 3), (64, 1, 3), (128, 1, 2), (256, 1, 2), (256, 1, 0)):
        for _ in range(downs):
            x, channels, side = graph.residual_down(x, channels, side)
        for _ in range(plain):
            x, channels, side = graph.residual(x, channels, side)
    x = graph.node("Flatten", [graph.node("GlobalAveragePool", [x])])
    _, (outputs,), values = graph.take("fc")
    weight = graph.constant(values.reshape(channels, outputs), "fc")
    graph.nodes.append(helper.make_node("MatMul", [x, weight], ["descriptors"]))
    if next(graph.layers, None) is not None:
        raise ValueError("parameters left over: the network is not the one this export knows")
    model = helper.make_model(
        helper.make_graph(graph.nodes, "dlib_face_descriptor",
                          [helper.make_tensor_value_info("chips", TensorProto.FLOAT, ["n", SIDE, SIDE, 3])],
                          [helper.make_tensor_value_info("descriptors", TensorProto.FLOAT, ["n", outputs])],
                          graph.weights),
        opset_imports=[helper.make_opsetid("", 17)], producer_name="viewfinder face_descriptor.py")
    onnx.checker.check_model(model)
    onnx.save(model, onnx_path)


def test_chips():
    """Chips with the colours and edges of faces and of noise: every layer's arithmetic shows in the output."""
    generator = np.random.default_rng(150)
    rows, cols = np.mgrid[0:SIDE, 0:SIDE] / SIDE
    smooth = np.stack([rows * 255, cols * 255, (rows + cols) * 127], axis=-1)
    oval = (((rows - 0.5) / 0.35) ** 2 + ((cols - 0.5) / 0.25) ** 2 < 1)[..., None] * np.array([224, 172, 140])
    noise = generator.integers(0, 256, (4, SIDE, SIDE, 3))
    return np.concatenate([smooth[None], oval[None], noise]).astype(np.uint8)


def check(onnx_path, exporter, model):
    import onnxruntime
    chips = test_chips()
    with tempfile.NamedTemporaryFile(suffix=".rgb") as raw:
        raw.write(chips.tobytes())
        raw.flush()
        listed = subprocess.run([exporter, model, "describe", raw.name, str(len(chips))], check=True,
                                capture_output=True, text=True).stdout
    expected = np.array([[float(v) for v in line.split()] for line in listed.splitlines()], dtype=np.float32)
    session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    found = session.run(None, {"chips": chips.astype(np.float32)})[0]
    difference = float(np.abs(found - expected).max())
    if expected.shape != found.shape or not difference <= TOLERANCE:
        sys.exit("face_descriptor: the ONNX export differs from dlib by %g (more than %g)" % (difference, TOLERANCE))
    np.savez_compressed(Path(onnx_path).parent / "face_descriptor.check.npz", chips=chips, descriptors=expected)
    return difference


if __name__ == "__main__":
    params, target, exporter, model = sys.argv[1:5]
    build(params, target)
    print("face_descriptor: %s matches dlib within %.2g" % (target, check(target, exporter, model)))
