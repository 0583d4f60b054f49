"""The default cache: Django's database cache with an increment that counts every request.

The database cache is shared by every worker and every instance over the same database, which
the rate limits (django-ratelimit) need. Django's own `incr` reads, adds and writes back the
value, so two requests at once could count as one and it would also reset the key's expiry;
here the row is locked while it is counted up, and the expiry stays.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


class DatenbankCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        cache_key = self.make_and_validate_key(key, version=version)
        missing = object()
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {quote('cache_key')} FROM {table} "
                        f"WHERE {quote('cache_key')} = %s FOR UPDATE",
                        [cache_key],
                    )
            # On SQLite the transaction itself holds the write lock (BEGIN IMMEDIATE).
            value = self.get(key, missing, version=version)
            if value is missing:
                # Expired between django-ratelimit's add and this call: count it afresh.
                self.add(key, delta, version=version)
                return delta
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",
                    [encoded, cache_key],
                )
        return value
