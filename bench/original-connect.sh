#!/bin/bash
# A faithful re-creation (not a copy) of the classic OpenVPN "user accounting" client-connect
# script that vpn-connect-log replaces, kept for the benchmark (bench/run and the server-stall
# bench): one `date` per run, bash. The one change: the log file is argument 1 (the original
# wrote to this fixed path), so that a benchmark need not write to /var/log. OpenVPN's
# temporary file follows as argument 2 and is ignored, as the original ignored it.
log=${1:-/var/log/openvpn/remote.connect}
echo "User '$common_name' at `date +%F-%H:%M` using $ifconfig_pool_remote_ip from $trusted_ip:$trusted_port" >> "$log"
