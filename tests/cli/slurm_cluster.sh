#!/usr/bin/env bash
# `lindiff slurm` against a real Slurm: starts a private one-node cluster on loopback (munged,
# slurmctld and slurmd from Debian's packages, configured here, state in a scratch folder),
# submits a small config as a 3-task array plus the afterok collector, waits, and checks that
# results.csv equals a single-process run byte for byte. Exits 77 (CTest: skipped) when the
# Slurm packages are absent or it is not run as root. Needs $LINDIFF.
set -u
for program in munged slurmctld slurmd sbatch squeue; do
  command -v "$program" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
  command -v "$program" >/dev/null 2>&1 || { echo "skipped: $program not installed (scripts/setup.sh installs Slurm)"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "skipped: a private Slurm needs root"; exit 77; }
work=$(mktemp -d)
cleanup() {
  for pid_file in "$work"/slurmd.pid "$work"/slurmctld.pid "$work"/munged.pid; do
    [ -s "$pid_file" ] && kill "$(cat "$pid_file")" 2>/dev/null
  done
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/state" "$work/spool"

# munge with its own key and socket, so that the host's munge (if any) is left alone.
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 600 "$work/munge.key"
munged --force --key-file="$work/munge.key" --socket="$work/munge.socket" --pid-file="$work/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$work/munged.seed" || { echo "FAIL: munged did not start"; exit 1; }

node=$(hostname -s)
cat >"$work/slurm.conf" <<CONF
ClusterName=lindifftest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldPort=16817
SlurmdPort=16818
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
slurmctld -i || { echo "FAIL: slurmctld did not start"; cat "$work/slurmctld.log"; exit 1; }
slurmd || { echo "FAIL: slurmd did not start"; cat "$work/slurmd.log"; exit 1; }
for _ in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 1; done
sinfo -h -o %t | grep -q idle || { echo "FAIL: the node never became idle"; tail -5 "$work/slurmd.log"; exit 1; }

cat >"$work/small.yaml" <<YAML
name: slurm_test
dataset: {name: synthetic, synthetic: {shape: [4, 4], n_train: 64, n_test: 64}}
theory: {steps: 50, n: [8, 32], c: [0], objectives: [noise], gd_steps: [0, 100]}
training:
  models: [linear, unet]
  n: [8, 32]
  checkpoints: 4
  eval_samples: 256
  samples: 64
  linear: {steps: 300, batch_size: 64}
  unet: {steps: 30, batch_size: 32, base_channels: 8, depth: 1, groups: 4, time_dim: 8}
YAML
"$LINDIFF" slurm "$work/small.yaml" --shards 3 --submit --sbatch=--cpus-per-task=1 --out "$work/cluster" ||
  { echo "FAIL: lindiff slurm --submit"; exit 1; }
for _ in $(seq 300); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 1; done
[ -z "$(squeue -h)" ] || { echo "FAIL: jobs still queued after 300 s"; squeue; exit 1; }
"$LINDIFF" run "$work/small.yaml" --out "$work/single" >/dev/null 2>&1
if cmp -s "$work/single/results.csv" "$work/cluster/results.csv" && [ -s "$work/cluster/report.html" ] &&
   [ "$(ls "$work"/cluster/slurm/shard-*.log | wc -l)" = 3 ]; then
  echo "a 3-task array and its collector on a one-node Slurm: results.csv identical to one process"
else
  echo "FAIL: the Slurm run differs from a single process or lacks its report/logs"
  tail -5 "$work"/cluster/slurm/*.log
  exit 1
fi
