#!/bin/bash
# A faithful re-creation (not a copy) of the classic OpenVPN "user accounting"
# client-disconnect script that vpn-disconnect-log replaces, kept for the benchmark (bench/run
# and the server-stall bench), defects included: `1000**2` is bash, not POSIX (dash rejects
# it), the minutes and the megabyte fraction are not zero-padded (1 005 000 bytes print as
# `1.5`, 1 h 5 min as `1:5`), and an IPv6 client prints an empty address. The one change: the
# log file is argument 1 (the original wrote to this fixed path), so that a benchmark need not
# write to /var/log.
log=${1:-/var/log/openvpn-disconnect.log}
start=`date -d @$time_unix +%F-%H:%M`
end=`date -d @$(( time_unix + time_duration )) +%F-%H:%M`
hours=$(( time_duration / 3600 ))
minutes=$(( time_duration % 3600 / 60 ))
up=$(( bytes_received / 1000**2 )).$(( bytes_received % 1000**2 / 1000 ))
down=$(( bytes_sent / 1000**2 )).$(( bytes_sent % 1000**2 / 1000 ))
echo "User '$common_name' using $ifconfig_pool_remote_ip from $trusted_ip:$trusted_port for $start to $end ($hours:$minutes) BW(up/down) $up/$down" >> "$log"
