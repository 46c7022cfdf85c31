"""Reference run of the face model with OpenCV's cv2.dnn on an input tensor prepared by camaudit.

Usage: opencv_raw.py MODEL INPUT.f32 OUTPUT_DIR
INPUT.f32 is the letterboxed [1,256,256,3] float32 NHWC tensor (little-endian); writes one .f32
file per model output so the caller compares raw outputs, not post-processed boxes.
"""
import sys

import cv2
import numpy as np

model, input_path, out_dir = sys.argv[1:4]
net = cv2.dnn.readNetFromONNX(model)
blob = np.fromfile(input_path, dtype="<f4").reshape(1, 256, 256, 3)
net.setInput(blob, "input:0")
names = ["Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"]
for name, out in zip(names, net.forward(names)):
    np.ascontiguousarray(out, dtype="<f4").tofile(f"{out_dir}/{name.replace(':', '_')}.f32")
    print(name, out.shape)
