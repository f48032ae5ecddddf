#!/bin/bash
# Samples per-thread CPU of java processes running $1 (jar path) for $3 s after waiting $2 s.
jar=$1; delay=$2; span=$3
sleep "$delay"
pids=$(pgrep -f -- "-jar $jar" | tr '\n' ' ')
snap() { for p in $pids; do for t in /proc/$p/task/*; do
  n=$(cat $t/comm 2>/dev/null); s=($(sed 's/.*) //' $t/stat 2>/dev/null)); echo "$p ${t##*/} ${s[11]} ${s[12]} $n"; done; done; }
read -r _ a1 b1 c1 d1 e1 f1 g1 h1 _ < /proc/stat
snap > /tmp/th1
sleep "$span"
read -r _ a2 b2 c2 d2 e2 f2 g2 h2 _ < /proc/stat
snap > /tmp/th2
for p in $pids; do jcmd $p Thread.print 2>/dev/null | grep -o "^\"[^\"]*\".*nid=0x[0-9a-f]*" | sed -E "s/^\"([^\"]*)\".*nid=0x([0-9a-f]*)/\2 \1/" | while read h n; do echo "$p-$((16#$h)) $n"; done; done > /tmp/thnames
tot=$(( (a2+b2+c2+d2+e2+f2+g2+h2)-(a1+b1+c1+d1+e1+f1+g1+h1) ))
echo "machine: user $(( (a2-a1)*100/tot ))% sys $(( (c2-c1)*100/tot ))% idle $(( (d2-d1)*100/tot ))% softirq $(( (g2-g1)*100/tot ))% (of 2 cores=100)"
join -j1 <(awk '{print $1"-"$2, $3+$4, $5}' /tmp/th1 | sort) <(awk '{print $1"-"$2, $3+$4}' /tmp/th2 | sort) | awk -v s="$span" '{d=$4-$2; if (d>5) printf "%s %-28s %5.1f%%\n", $1, $3, d/s}' | sort -k3 -rn | while read id c pct; do nm=$(awk -v i="$id" "\$1==i{\$1=\"\"; print; exit}" /tmp/thnames); echo "$id ${nm:-$c} $pct"; done
