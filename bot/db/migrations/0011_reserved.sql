-- Reserved for another branch's migration 0011 (numbers must be contiguous). This placeholder does
-- nothing; the merge replaces it with that branch's file.
SELECT 1;
