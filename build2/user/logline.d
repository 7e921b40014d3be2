build2/user/logline.o: user/logline.c common/clock.h common/decimal.h \
 user/logline.h user/options.h user/metrics_http.h user/metrics.h \
 common/safe_text.h
common/clock.h:
common/decimal.h:
user/logline.h:
user/options.h:
user/metrics_http.h:
user/metrics.h:
common/safe_text.h:
