#pragma once
/// Image folders: root/<class>/*.{png,jpg,jpeg,bmp} or root/{train,test}/<class>/...

#include <filesystem>

#include "core/data/Dataset.h"
#include "core/util/Progress.h"

namespace core {

struct ImageFolderOptions {
    int height = 0, width = 0; ///< target size; 0 = the most common size in the folder
};

/// True when `dir` has class sub-folders holding images (directly or under train/).
bool looksLikeImageFolder(const std::filesystem::path& dir);

/// Decodes every image (stb), converts to 1 channel when all are grayscale else 3, and resizes
/// to a common size. Without train/test sub-folders everything goes to train.
Dataset loadImageFolder(const std::filesystem::path& dir, const ImageFolderOptions& options = {},
                        const LoadControl& control = {});

} // namespace core
