# WS-Discovery responder for the network-namespace test: one per simulated host, run with
# `ip netns exec <ns> python3 netns-responder.py <address> <endpoint> <port>`. Answers Probes
# sent to 239.255.255.250:<port> on <address> with one ProbeMatch. Synthetic test helper.
import re
import socket
import struct
import sys

address, endpoint, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, struct.pack("4s4s", socket.inet_aton("239.255.255.250"), socket.inet_aton(address)))
print("ready", flush=True)
while True:
    data, peer = s.recvfrom(65535)
    text = data.decode("utf-8", "replace")
    if "/discovery/Probe<" not in text:
        continue
    m = re.search(r"<a:MessageID>([^<]+)<", text)
    relates = m.group(1) if m else ""
    reply = (
        '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">'
        f"<s:Header><a:RelatesTo>{relates}</a:RelatesTo></s:Header><s:Body><d:ProbeMatches><d:ProbeMatch>"
        f"<a:EndpointReference><a:Address>{endpoint}</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types>"
        f"<d:Scopes>onvif://www.onvif.org/name/{endpoint[-4:]}</d:Scopes><d:XAddrs>http://{address}/onvif/device_service</d:XAddrs>"
        "</d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>"
    )
    s.sendto(reply.encode("utf-8"), peer)
