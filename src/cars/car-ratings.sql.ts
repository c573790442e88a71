/**
 * Keeps `car_ratings` (count and sum of each car's shown reviews) in step with `reviews`, in the
 * transaction of the change: a new review adds, an edit moves, a removal (`removed_at` set) or a
 * delete takes away. Created by the RentersAndProfiles migration.
 */
export const CAR_RATINGS_FUNCTION = `
CREATE OR REPLACE FUNCTION "car_ratings_follow_reviews"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD."removed_at" IS NULL THEN
        UPDATE "car_ratings" SET "review_count" = "review_count" - 1, "rating_sum" = "rating_sum" - OLD."rating"
         WHERE "car_id" = OLD."car_id";
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."removed_at" IS NULL THEN
        INSERT INTO "car_ratings" ("car_id", "review_count", "rating_sum") VALUES (NEW."car_id", 1, NEW."rating")
        ON CONFLICT ("car_id") DO UPDATE
           SET "review_count" = "car_ratings"."review_count" + 1,
               "rating_sum" = "car_ratings"."rating_sum" + EXCLUDED."rating_sum";
    END IF;
    RETURN NULL;
END
$$`;

export const CAR_RATINGS_TRIGGER = `
CREATE TRIGGER "reviews_car_ratings" AFTER INSERT OR DELETE OR UPDATE OF "rating", "removed_at", "car_id"
ON "reviews" FOR EACH ROW EXECUTE FUNCTION "car_ratings_follow_reviews"()`;
