/* main.c - the rccheck program: everything happens in the library (driver.c). */
#include "rccheck.h"

int main(int argc, char **argv)
{
	return rccheck_main(argc, argv);
}
