"""A real RTSP server for tests and the benchmark: Debian's GStreamer RTSP server serving a looping
still image as H.264 (x264enc) at /still.

Usage: /usr/bin/python3 gst-rtsp-server.py IMAGE.png [WIDTH HEIGHT FPS] [--udp-only]
Binds 127.0.0.1 on a free port and prints "READY <port>" once listening; stops on SIGTERM.
--udp-only refuses RTP over the RTSP TCP connection (461), like cameras that do not interleave.
"""
import argparse
import signal

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstRtsp", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("image")
parser.add_argument("size", nargs="*", type=int, default=[640, 360, 10])
parser.add_argument("--udp-only", action="store_true")
args = parser.parse_args()
image = args.image
width, height, fps = args.size
Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service("0")
factory = GstRtspServer.RTSPMediaFactory()
# A key frame every frame keeps the first decodable frame one packet away, like a camera's I-frame
# sub-stream; zerolatency avoids x264's look-ahead delay.
factory.set_launch(
    f'( filesrc location="{image}" ! decodebin ! videoconvert ! videoscale ! imagefreeze '
    f"! video/x-raw,width={width},height={height},pixel-aspect-ratio=1/1,framerate={fps}/1 ! videoconvert "
    f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} "
    f"! rtph264pay name=pay0 pt=96 config-interval=1 )"
)
factory.set_shared(True)
if args.udp_only:
    factory.set_protocols(GstRtsp.RTSPLowerTrans.UDP)
server.get_mount_points().add_factory("/still", factory)
server.attach(None)
loop = GLib.MainLoop()
signal.signal(signal.SIGTERM, lambda *_: loop.quit())
print(f"READY {server.get_bound_port()}", flush=True)
loop.run()
