"""OpenCV cv2.dnn peer for `npm run bench`: the same model, the same raw frames and the same tile plan
as camaudit's detector (letterbox each view, px/127.5-1, forward, sigmoid + anchor decode), one thread.

Usage: opencv_peer.py MODEL PLAN.json, then one command per line on stdin, one JSON line per answer:
  version            -> {"version": "4.6.0"}
  pass RUNS          -> {"ms": fastest of RUNS bare 256x256 passes}
  frame NAME RUNS    -> {"ms": fastest of RUNS detections of that frame, every view of its plan}
It stays up so that bench/run.ts can interleave its rounds with camaudit's: on a shared machine the
load moves between consecutive measurements, and alternating gives both the same moments.
PLAN.json: {"frames": [{"name", "file", "width", "height", "views": [{x,y,width,height,scale,padX,padY}]}]}
"""
import json
import sys
import time

import cv2
import numpy as np

cv2.setNumThreads(1)
model, plan_path = sys.argv[1:3]
net = cv2.dnn.readNetFromONNX(model)
names = ["Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"]
anchors = np.array(
    [((x + 0.5) / 16, (y + 0.5) / 16) for y in range(16) for x in range(16) for _ in range(2)]
    + [((x + 0.5) / 8, (y + 0.5) / 8) for y in range(8) for x in range(8) for _ in range(6)],
    dtype=np.float32,
)


def run_view(frame, v):
    crop = frame[v["y"] : v["y"] + v["height"], v["x"] : v["x"] + v["width"]]
    w = int(round(v["width"] * v["scale"]))
    h = int(round(v["height"] * v["scale"]))
    small = cv2.resize(crop, (w, h), interpolation=cv2.INTER_LINEAR)
    px, py = int(round(v["padX"])), int(round(v["padY"]))
    canvas = cv2.copyMakeBorder(small, py, 256 - h - py, px, 256 - w - px, cv2.BORDER_CONSTANT, value=0)
    blob = (canvas.astype(np.float32) / 127.5 - 1.0)[None]
    net.setInput(blob, "input:0")
    s16, s8, b16, b8 = net.forward(names)
    scores = 1 / (1 + np.exp(-np.clip(np.concatenate([s16.ravel(), s8.ravel()]), -100, 100)))
    boxes = np.concatenate([b16[0], b8[0]])
    keep = scores > 0.75
    centres = anchors[keep] + boxes[keep, 0:2] / 256
    return centres, boxes[keep, 2:4] / 256, scores[keep]


def detect(frame, views):
    found = [run_view(frame, v) for v in views]
    return sum(len(f[2]) for f in found)


plan = json.load(open(plan_path))
frames = {
    f["name"]: (np.fromfile(f["file"], dtype=np.uint8).reshape(f["height"], f["width"], 3), f["views"])
    for f in plan["frames"]
}
blob = np.zeros((1, 256, 256, 3), np.float32)


def fastest(runs, fn):
    # Fastest run, as bench/run.ts does for camaudit: the least contended one on a shared machine.
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return min(times)


def one_pass():
    net.setInput(blob, "input:0")
    net.forward(names)


one_pass()
for frame, views in frames.values():
    detect(frame, views)
for line in sys.stdin:
    cmd = line.split()
    if cmd == ["version"]:
        answer = {"version": cv2.__version__}
    elif len(cmd) == 2 and cmd[0] == "pass":
        answer = {"ms": fastest(int(cmd[1]), one_pass)}
    elif len(cmd) == 3 and cmd[0] == "frame" and cmd[1] in frames:
        frame, views = frames[cmd[1]]
        answer = {"ms": fastest(int(cmd[2]), lambda: detect(frame, views))}
    else:
        answer = {"error": "unknown command: " + line.strip()}
    print(json.dumps(answer), flush=True)
