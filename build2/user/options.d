build2/user/options.o: user/options.c user/options.h user/metrics_http.h \
 user/metrics.h common/safe_text.h
user/options.h:
user/metrics_http.h:
user/metrics.h:
common/safe_text.h:
