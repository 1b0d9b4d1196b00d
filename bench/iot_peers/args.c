/*
 * The IoT benchmarks' command line (native_sim), shared by the C and the Rust image:
 * `--mqtt-port=<p> --http-port=<p> --count=<n>`, and the process's end.
 */
#include <stdint.h>
#include <cmdline.h>
#include <posix_native_task.h>
#include <posix_board_if.h>

static uint32_t mqtt_port, http_port, count = 1000;

static void add_bench_options(void)
{
	static struct args_struct_t options[] = {
		{ .option = "mqtt-port", .name = "port", .type = 'u', .dest = (void *)&mqtt_port,
		  .descript = "The broker's port on 127.0.0.1" },
		{ .option = "http-port", .name = "port", .type = 'u', .dest = (void *)&http_port,
		  .descript = "The HTTP server's port on 127.0.0.1" },
		{ .option = "count", .name = "n", .type = 'u', .dest = (void *)&count,
		  .descript = "Messages and requests per workload" },
		ARG_TABLE_ENDMARKER,
	};

	native_add_command_line_opts(options);
}

NATIVE_TASK(add_bench_options, PRE_BOOT_1, 10);

uint16_t bench_mqtt_port(void) { return (uint16_t)mqtt_port; }
uint16_t bench_http_port(void) { return (uint16_t)http_port; }
uint32_t bench_count(void) { return count; }
void bench_exit(int code) { posix_exit(code); }
