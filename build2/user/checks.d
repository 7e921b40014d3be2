build2/user/checks.o: user/checks.c user/as_user.h user/run_as.h \
 user/checks.h user/options.h user/metrics_http.h user/metrics.h \
 user/fail.h user/privs.h user/proc.h
user/as_user.h:
user/run_as.h:
user/checks.h:
user/options.h:
user/metrics_http.h:
user/metrics.h:
user/fail.h:
user/privs.h:
user/proc.h:
