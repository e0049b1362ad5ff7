"""Creates the named TUN devices and holds them open (so they have carrier) until killed; prints "ready".
Nothing reads them: the site twin forwards all they transmit elsewhere at the netdev egress hook."""
import fcntl, os, signal, struct, sys

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000

fds = []
for name in sys.argv[1:]:
    fd = os.open('/dev/net/tun', os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TUN | IFF_NO_PI))
    fds.append(fd)
print('ready', flush=True)
signal.pause()
