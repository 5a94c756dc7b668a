#!/bin/sh
# The classic OpenVPN accounting hooks as a POSIX shell script, for the benchmark (bench/run):
# the same job as vpn-connect-log / vpn-disconnect-log, done the way the scripts they replace
# did it, with date(1) and $(( )) arithmetic, but with their bugs fixed so that the records
# come out identical (zero-padded minutes and megabyte fractions; no `**`, so dash runs it).
#
# Usage: hook.sh FILE   (OpenVPN's `script_type` says which record; dates in local time)
# Needs GNU date for `-d @SECONDS`.
file=$1

stamp() {
    date -d "@$1" +%F-%H:%M
}

# Megabytes of 10^6 bytes with three decimals, truncated: 1005000 -> 1.005.
megabytes() {
    whole=$(( $1 / 1000000 ))
    milli=$(( $1 % 1000000 / 1000 ))
    if [ "$milli" -lt 10 ]; then
        milli=00$milli
    elif [ "$milli" -lt 100 ]; then
        milli=0$milli
    fi
    echo "$whole.$milli"
}

case $script_type in
client-connect)
    echo "User '$common_name' at $(stamp "$time_unix") using $ifconfig_pool_remote_ip from $trusted_ip:$trusted_port" >>"$file"
    ;;
client-disconnect)
    minutes=$(( time_duration % 3600 / 60 ))
    [ "$minutes" -lt 10 ] && minutes=0$minutes
    echo "User '$common_name' using $ifconfig_pool_remote_ip from $trusted_ip:$trusted_port for $(stamp "$time_unix") to $(stamp $(( time_unix + time_duration ))) ($(( time_duration / 3600 )):$minutes) BW(up/down) $(megabytes "$bytes_received")/$(megabytes "$bytes_sent")" >>"$file"
    ;;
esac
