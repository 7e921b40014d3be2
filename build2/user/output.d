build2/user/output.o: user/output.c user/as_user.h user/run_as.h \
 user/fail.h user/options.h user/metrics_http.h user/metrics.h \
 user/output.h
user/as_user.h:
user/run_as.h:
user/fail.h:
user/options.h:
user/metrics_http.h:
user/metrics.h:
user/output.h:
