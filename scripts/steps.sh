# Sourced by scripts/test.sh: runs named steps, prints each one's wall-clock time, and a summary
# against CI's budget (README, "CI budget"): a cold run (empty target directory) within 45
# minutes, a warm one within 20.

STEP_NAMES=()
STEP_SECONDS=()
STEPS_START=$(date +%s)

# step NAME COMMAND...: runs COMMAND (a command or a shell function), records its time; a failing
# step fails the run, after printing the times so far.
step() {
	local name=$1 start status=0
	shift
	start=$(date +%s)
	echo "==> step $name: $*"
	"$@" || status=$?
	STEP_NAMES+=("$name")
	STEP_SECONDS+=($(($(date +%s) - start)))
	echo "==> step $name: ${STEP_SECONDS[-1]} s (exit $status)"
	if [ "$status" -ne 0 ]; then
		step_summary failed
		exit "$status"
	fi
}

# step_summary KIND: the table of step times and the total; for KIND cold or warm, the verdict
# against that budget.
step_summary() {
	local kind=$1 total i budget
	total=$(($(date +%s) - STEPS_START))
	echo "==> step times"
	for i in "${!STEP_NAMES[@]}"; do
		printf '    %-14s %6d s  (%d min %02d s)\n' "${STEP_NAMES[$i]}" "${STEP_SECONDS[$i]}" \
			$((STEP_SECONDS[i] / 60)) $((STEP_SECONDS[i] % 60))
	done
	printf '    %-14s %6d s  (%d min %02d s)\n' total "$total" $((total / 60)) $((total % 60))
	case "$kind" in
	cold) budget=2700 ;;
	warm) budget=1200 ;;
	*) return 0 ;;
	esac
	if [ "$total" -le "$budget" ]; then
		echo "==> $kind run: $total s, within the $kind budget of $budget s"
	else
		echo "==> $kind run: $total s, OVER the $kind budget of $budget s (README, CI budget)"
	fi
}
