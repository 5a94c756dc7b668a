/* The floor of any hook OpenVPN execs: a static program that does nothing (bench/run). */
int main(void)
{
    return 0;
}
