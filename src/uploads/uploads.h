/* What other modules may ask of uploads: attach a user's uploaded photos to an order, so that
 * the order's owner and its provider's staff may see them too. */
#ifndef PS_UPLOADS_H
#define PS_UPLOADS_H

struct ps_db_conn;

/* Inside the caller's write transaction: mark upload_id (uploaded by uploader_id) as a photo
 * of order_id, visible to owner_id and to the staff of provider_id. PS_E_NOT_FOUND when the
 * upload does not exist, is someone else's, or is attached to another order already. */
int uploads_attach(struct ps_db_conn *c, const char *upload_id, const char *uploader_id,
                   const char *order_id, const char *owner_id, const char *provider_id);

#endif
