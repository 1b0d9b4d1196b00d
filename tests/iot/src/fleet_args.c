/*
 * The fleet test's command line (native_sim): `--fleet-id=<id> --fleet-port=<broker port>`
 * makes this process one device of a fleet instead of the control-port lab.
 */
#include <stdint.h>
#include <cmdline.h>
#include <posix_native_task.h>
#include <posix_board_if.h>

static char *fleet_id;
static uint32_t fleet_port;

static void add_fleet_options(void)
{
	static struct args_struct_t options[] = {
		{
			.option = "fleet-id",
			.name = "id",
			.type = 's',
			.dest = (void *)&fleet_id,
			.descript = "Run as fleet device <id>: publish telemetry, then exit",
		},
		{
			.option = "fleet-port",
			.name = "port",
			.type = 'u',
			.dest = (void *)&fleet_port,
			.descript = "The fleet's broker port on 127.0.0.1",
		},
		ARG_TABLE_ENDMARKER,
	};

	native_add_command_line_opts(options);
}

NATIVE_TASK(add_fleet_options, PRE_BOOT_1, 10);

/* The device's id, or NULL when not in a fleet. */
const char *iot_fleet_id(void)
{
	return fleet_id;
}

uint16_t iot_fleet_port(void)
{
	return (uint16_t)fleet_port;
}

/* Ends the process: a fleet device is done. */
void iot_fleet_exit(int code)
{
	posix_exit(code);
}
