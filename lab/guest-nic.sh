# shellcheck shell=bash
# Inside a lab guest: the emulated NIC, up.  Its driver is a module, and
# udev is stubbed out in the lab, so it is loaded here and waited for.
# Source it, then
#
#   nic=$(guest_nic)
#
# gives the first Ethernet interface with a device, set up (no address).
guest_nic() {
	local d nic=
	modprobe virtio_net
	for _ in $(seq 50); do
		ls /sys/class/net/*/device >/dev/null 2>&1 && break
		sleep 0.1
	done
	for d in /sys/class/net/*; do
		[ -e "$d/device" ] && [ "$(cat "$d/type")" = 1 ] && { nic=$(basename "$d"); break; }
	done
	[ -n "$nic" ] || { echo "guest: no emulated NIC" >&2; return 1; }
	ip link set "$nic" up
	echo "$nic"
}
